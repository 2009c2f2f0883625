package io.ovsanp.controller.metrics;

import io.ovsanp.controller.audit.AuditWriter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.LongSupplier;

/**
 * The audit log's counters (README, "Audit log"), read at scrape time from its writer; registered by
 * {@code run} only when the audit log is on, so a run without it serves none of them.
 *
 * <ul>
 *   <li>{@code ovsanp_audit_lines_total}: lines written;
 *   <li>{@code ovsanp_audit_dropped_total}: copies received but lost, because the queue was full (the
 *       writer fell behind) or the file could not take the line;
 *   <li>{@code ovsanp_audit_skipped_total}: copies that made no line, because the controller could not
 *       name them when it wrote (rule removed meanwhile, switch not yet mapped, frame cut short).
 * </ul>
 *
 * Copies the switch's meter dropped never reach the controller and are not counted here.
 */
public final class AuditMetrics {
    private AuditMetrics() {}

    /** Registers the three counters of {@code writer} in {@code registry}. */
    public static void register(PrometheusRegistry registry, AuditWriter<?> writer) {
        register(registry, writer::written, writer::dropped, writer::skipped);
    }

    static void register(
            PrometheusRegistry registry, LongSupplier written, LongSupplier dropped, LongSupplier skipped) {
        counter(registry, "ovsanp_audit_lines_total", "Audit log lines written.", written);
        counter(
                registry,
                "ovsanp_audit_dropped_total",
                "Audit copies lost in ovs-anp: the queue was full (the writer fell behind) or the file could not"
                        + " take the line.",
                dropped);
        counter(
                registry,
                "ovsanp_audit_skipped_total",
                "Audit copies that made no line: their rule, switch or connection could not be named.",
                skipped);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, LongSupplier value) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(value.getAsLong()))
                .register(registry);
    }
}
