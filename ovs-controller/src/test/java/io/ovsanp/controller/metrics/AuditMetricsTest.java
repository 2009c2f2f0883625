package io.ovsanp.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The audit log's counters as a scrape shows them: names, type, no labels, the writer's values now. */
class AuditMetricsTest {
    private static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theThreeCountersReadTheWriterAtScrapeTime() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        AtomicLong written = new AtomicLong(7);
        AtomicLong dropped = new AtomicLong(2);
        AtomicLong skipped = new AtomicLong(1);
        AuditMetrics.register(registry, written::get, dropped::get, skipped::get);

        String text = scrape(registry);
        assertThat(Families.of(text).families())
                .containsOnlyKeys(
                        "ovsanp_audit_lines_total", "ovsanp_audit_dropped_total", "ovsanp_audit_skipped_total")
                .allSatisfy((name, f) -> {
                    assertThat(f.type()).isEqualTo("counter");
                    assertThat(f.labels()).isEqualTo(Set.of());
                });
        assertThat(text.lines())
                .contains(
                        "ovsanp_audit_lines_total 7.0",
                        "ovsanp_audit_dropped_total 2.0",
                        "ovsanp_audit_skipped_total 1.0");

        written.addAndGet(3);
        dropped.incrementAndGet();
        assertThat(scrape(registry).lines())
                .contains(
                        "ovsanp_audit_lines_total 10.0",
                        "ovsanp_audit_dropped_total 3.0",
                        "ovsanp_audit_skipped_total 1.0");
    }
}
