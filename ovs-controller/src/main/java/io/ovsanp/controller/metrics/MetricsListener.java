package io.ovsanp.controller.metrics;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.dns.DnsLearning;
import io.ovsanp.controller.run.RealisationListener;
import io.ovsanp.controller.switches.ReconcileResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The controller's metrics, fed by the reconcile loop's listener calls and registered in a {@link
 * PrometheusRegistry} that the caller owns (one per {@code run}, next to the JVM and process metrics:
 * no process-global registry), which {@link OpsHttpServer} serves. Every method is cheap (a map put,
 * a counter or histogram update) and thread-safe; scrapes run on the HTTP server's thread. The names,
 * types, labels and help of 0.1.0's hand-written exposition are kept (README, "Metrics and health").
 *
 * <ul>
 *   <li>{@code ovsanp_flows{node,table}}: flows installed on the node's switch per pipeline table (the
 *       last compiled set that converged);
 *   <li>{@code ovsanp_reconcile_seconds}, {@code ovsanp_compile_seconds}: classic histograms, the
 *       buckets of {@link #SECONDS};
 *   <li>{@code ovsanp_flow_mods_total}: flow-mods sent in committed bundles;
 *   <li>{@code ovsanp_realisation_failures_total{node}}: every {@code failed} call;
 *       {@code ovsanp_bundle_errors_total{node}}: those while the node's switch was connected (a
 *       disconnected switch cannot refuse a bundle; the compiler does not fail on bad input);
 *   <li>{@code ovsanp_switches_connected}; {@code ovsanp_invalid_rules}: ANP/BANP rules realised
 *       fail-closed because of an error (an error outside a rule counts once per policy);
 *       {@code ovsanp_unenforced_policy_parts}: valid parts of policies not enforced (unsupported peers);
 *   <li>{@code ovsanp_dns_learned_names}, {@code ovsanp_dns_learned_addresses}: (pod, name) pairs and
 *       (pod, name, address) triples learned from DNS answers for {@code domainNames} rules;
 *       {@code ovsanp_dns_answers_total{outcome}}: paused answers by what they were ({@code learned},
 *       {@code nothing_new}, {@code unparsed}, {@code not_an_answer}) and {@code learned_late} for a
 *       learned one released before its flows (hold limit, failure); {@code ovsanp_dns_hold_seconds}:
 *       from an answer's arrival to its release, answers that taught something only;
 *   <li>{@code ovsanp_last_convergence_timestamp_seconds{node}}: Unix time of the node's last convergence.
 *   <li>{@code ovsanp_switch_verified{node}}: 1 when the last periodic verification of the node's switch
 *       found its flows equal to the policies, 0 when it found a difference or could not verify (absent
 *       before the first); {@code ovsanp_switch_verify_cells_differing{node}}: how many cells differed;
 *       {@code ovsanp_verifications_total{outcome}}: {@code equal}, {@code different}, {@code error};
 *       {@code ovsanp_verify_seconds}: how long one took (dump and check).
 * </ul>
 *
 * The gauges are read at scrape time from the maps below, so that a node's tables are replaced as a
 * whole when it converges and a removed node's series go with it; counters of a removed node are
 * removed too.
 */
public final class MetricsListener implements RealisationListener {
    /** 1 ms .. 30 s: a reconcile or compile is milliseconds, a 100k-flow bundle about a second. */
    static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private static final java.util.regex.Pattern RULE_PATH =
            java.util.regex.Pattern.compile("^spec\\.(egress|ingress)\\[\\d+]");
    private final Clock clock;
    private final Histogram reconcile;
    private final Histogram compile;
    private final Counter flowMods;
    private final Counter failures;
    private final Counter bundleErrors;
    private final Map<String, Map<String, Integer>> pending = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> flows = new ConcurrentHashMap<>();
    private final Map<String, String> connected = new ConcurrentHashMap<>();
    private final Map<String, Double> lastConvergence = new ConcurrentHashMap<>();
    private final Counter dnsAnswers;
    private final Map<String, long[]> verifiedNodes = new ConcurrentHashMap<>();
    private final Counter verifications;
    private final Histogram verifySeconds;
    private final Histogram dnsHold;
    private volatile long dnsNames;
    private volatile long dnsAddresses;
    private volatile int invalidRules;
    private volatile int unenforcedParts;

    /** Registers the families in {@code registry}; a registry holds one listener's families only. */
    public MetricsListener(Clock clock, PrometheusRegistry registry) {
        this.clock = clock;
        GaugeWithCallback.builder()
                .name("ovsanp_flows")
                .help("Flows installed by ovs-anp, per node and pipeline table.")
                .labelNames("node", "table")
                .callback(cb -> flows.forEach((node, tables) -> tables.forEach((table, n) -> cb.call(n, node, table))))
                .register(registry);
        reconcile = histogram("ovsanp_reconcile_seconds", "Time to converge one switch (dump, diff, bundle commit).")
                .register(registry);
        compile = histogram("ovsanp_compile_seconds", "Time to compile one node's flows.")
                .register(registry);
        flowMods = Counter.builder()
                .name("ovsanp_flow_mods_total")
                .help("Flow-mods sent in committed bundles.")
                .register(registry);
        failures = Counter.builder()
                .name("ovsanp_realisation_failures_total")
                .help("Times a node's flows could not be realised (bundle refused, not connected, compile failed).")
                .labelNames("node")
                .register(registry);
        bundleErrors = Counter.builder()
                .name("ovsanp_bundle_errors_total")
                .help("Realisation failures while the node's switch was connected (the switch refused the bundle).")
                .labelNames("node")
                .register(registry);
        gauge(registry, "ovsanp_switches_connected", "Switches connected now.", connected::size);
        gauge(
                registry,
                "ovsanp_invalid_rules",
                "ANP/BANP rules realised fail-closed because they are invalid.",
                () -> invalidRules);
        gauge(
                registry,
                "ovsanp_unenforced_policy_parts",
                "Valid parts of policies that ovs-anp does not enforce (e.g. ingress rules); their Ready is False.",
                () -> unenforcedParts);
        dnsAnswers = Counter.builder()
                .name("ovsanp_dns_answers_total")
                .help("DNS answers the switches paused for domainNames rules, by outcome.")
                .labelNames("outcome")
                .register(registry);
        for (String outcome : List.of("learned", "learned_late", "nothing_new", "unparsed", "not_an_answer")) {
            dnsAnswers.labelValues(outcome); // every outcome from the start, at 0
        }
        dnsHold = Histogram.builder()
                .name("ovsanp_dns_hold_seconds")
                .help("Time a DNS answer that taught a new address was held until its flows were realised.")
                .classicOnly()
                .classicUpperBounds(SECONDS)
                .register(registry);
        GaugeWithCallback.builder()
                .name("ovsanp_dns_learned_names")
                .help("(pod, name) pairs learned from DNS answers for domainNames rules.")
                .callback(cb -> cb.call(dnsNames))
                .register(registry);
        GaugeWithCallback.builder()
                .name("ovsanp_dns_learned_addresses")
                .help("(pod, name, address) triples learned from DNS answers for domainNames rules.")
                .callback(cb -> cb.call(dnsAddresses))
                .register(registry);
        GaugeWithCallback.builder()
                .name("ovsanp_switch_verified")
                .help("1 when the last verification of the node's switch found its flows equal to the policies,"
                        + " else 0.")
                .labelNames("node")
                .callback(cb -> verifiedNodes.forEach((node, v) -> cb.call(v[0], node)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("ovsanp_switch_verify_cells_differing")
                .help("Cells of the header space in which the node's switch differed from the policies at its last"
                        + " verification.")
                .labelNames("node")
                .callback(cb -> verifiedNodes.forEach((node, v) -> cb.call(v[1], node)))
                .register(registry);
        verifications = Counter.builder()
                .name("ovsanp_verifications_total")
                .help("Periodic verifications of the switches, by outcome.")
                .labelNames("outcome")
                .register(registry);
        for (String outcome : List.of("equal", "different", "error")) {
            verifications.labelValues(outcome);
        }
        verifySeconds = Histogram.builder()
                .name("ovsanp_verify_seconds")
                .help("Time one verification of a switch took: its flow dump and the exhaustive check.")
                .classicOnly()
                .classicUpperBounds(SECONDS)
                .register(registry);
        GaugeWithCallback.builder()
                .name("ovsanp_last_convergence_timestamp_seconds")
                .help("Unix time of the node's last successful convergence.")
                .labelNames("node")
                .callback(cb -> lastConvergence.forEach((node, t) -> cb.call(t, node)))
                .register(registry);
    }

    public MetricsListener(PrometheusRegistry registry) {
        this(Clock.systemUTC(), registry);
    }

    private static Histogram.Builder histogram(String name, String help) {
        return Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(SECONDS);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, IntSupplier value) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(value.getAsInt()))
                .register(registry);
    }

    @Override
    public void dnsAnswer(String node, DnsLearning.Kind kind, Duration held, boolean late) {
        String outcome = kind == DnsLearning.Kind.LEARNED && late
                ? "learned_late"
                : kind.name().toLowerCase(java.util.Locale.ROOT);
        dnsAnswers.labelValues(outcome).inc();
        if (kind == DnsLearning.Kind.LEARNED) dnsHold.observe(held.toNanos() / 1e9);
    }

    @Override
    public void verified(String node, io.ovsanp.controller.run.VerifyOutcome outcome) {
        verifications.labelValues(outcome.kind()).inc();
        verifySeconds.observe(outcome.took().toNanos() / 1e9);
        long differing = outcome.result().map(r -> r.cellsDiffering()).orElse(0L);
        verifiedNodes.put(node, new long[] {outcome.equal() ? 1 : 0, differing});
    }

    @Override
    public void dnsLearned(long names, long addresses) {
        dnsNames = names;
        dnsAddresses = addresses;
    }

    @Override
    public void validated(ClusterSnapshot snapshot, EffectivePolicies policies, ClusterChange change) {
        Set<String> invalid = new HashSet<>();
        for (Diagnostic d : policies.diagnostics()) {
            String kind = d.object().kind();
            if (d.severity() == Severity.ERROR
                    && (kind.equals(Tier.ADMIN.kind())
                            || kind.equals(Tier.BASELINE.kind())
                            || kind.equals(AdminPolicy.CLUSTER_NETWORK_POLICY))) {
                java.util.regex.Matcher m = RULE_PATH.matcher(d.path());
                invalid.add(d.object().display() + (m.find() ? " " + m.group() : ""));
            }
        }
        invalidRules = invalid.size();
        Set<String> unenforced = new HashSet<>();
        for (Diagnostic d : policies.diagnostics()) {
            if (d.unenforced()) unenforced.add(d.object().display() + " " + d.path());
        }
        unenforcedParts = unenforced.size();
    }

    @Override
    public void compiled(String node, CompileResult result, Duration took) {
        compile.observe(seconds(took));
        pending.put(node, Map.copyOf(result.stats().flowsPerTable()));
    }

    @Override
    public void converged(String node, ReconcileResult result, Duration took) {
        reconcile.observe(seconds(took));
        if (result != null) {
            flowMods.inc(result.flowMods());
        }
        Map<String, Integer> f = pending.remove(node);
        if (f != null) {
            flows.put(node, f);
        }
        lastConvergence.put(node, clock.millis() / 1000.0);
    }

    @Override
    public void failed(String node, String reason) {
        failures.labelValues(node).inc();
        if (connected.containsKey(node)) {
            bundleErrors.labelValues(node).inc();
        }
    }

    @Override
    public void switchConnected(String node, String datapathId) {
        connected.put(node, datapathId);
    }

    @Override
    public void switchDisconnected(String node) {
        connected.remove(node);
    }

    @Override
    public void nodeRemoved(String node) {
        pending.remove(node);
        verifiedNodes.remove(node);
        flows.remove(node);
        failures.remove(node);
        bundleErrors.remove(node);
        connected.remove(node);
        lastConvergence.remove(node);
    }

    /** Readiness of an agent: {@code node}'s switch is connected and has converged at least once. */
    public BooleanSupplier switchReady(String node) {
        return () -> connected.containsKey(node) && lastConvergence.containsKey(node);
    }

    public int connectedSwitches() {
        return connected.size();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
