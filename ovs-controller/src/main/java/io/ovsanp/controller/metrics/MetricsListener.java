package io.ovsanp.controller.metrics;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.run.RealisationListener;
import io.ovsanp.controller.switches.ReconcileResult;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The controller's metrics, fed by the reconcile loop's listener calls and rendered by {@link
 * #scrape()} in the Prometheus text format. Every method is cheap (a map put, a histogram bucket) and
 * thread-safe; scrapes run on the HTTP server's thread.
 *
 * <ul>
 *   <li>{@code ovsanp_flows{node,table}}: flows installed on the node's switch per pipeline table (the
 *       last compiled set that converged);
 *   <li>{@code ovsanp_reconcile_seconds}, {@code ovsanp_compile_seconds}: histograms;
 *   <li>{@code ovsanp_flow_mods_total}: flow-mods sent in committed bundles;
 *   <li>{@code ovsanp_realisation_failures_total{node}}: every {@code failed} call;
 *       {@code ovsanp_bundle_errors_total{node}}: those while the node's switch was connected (a
 *       disconnected switch cannot refuse a bundle; the compiler does not fail on bad input);
 *   <li>{@code ovsanp_switches_connected}; {@code ovsanp_invalid_rules}: ANP/BANP rules realised
 *       fail-closed because of an error (an error outside a rule counts once per policy);
 *       {@code ovsanp_unenforced_policy_parts}: valid parts of policies not enforced (domainNames peers);
 *   <li>{@code ovsanp_last_convergence_timestamp_seconds{node}}: Unix time of the node's last convergence.
 * </ul>
 */
public final class MetricsListener implements RealisationListener {
    private static final java.util.regex.Pattern RULE_PATH =
            java.util.regex.Pattern.compile("^spec\\.(egress|ingress)\\[\\d+]");
    private final Clock clock;
    private final Histogram reconcile = new Histogram(Histogram.SECONDS);
    private final Histogram compile = new Histogram(Histogram.SECONDS);
    private final AtomicLong flowMods = new AtomicLong();
    private final Map<String, Map<String, Integer>> pending = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> flows = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bundleErrors = new ConcurrentHashMap<>();
    private final Map<String, String> connected = new ConcurrentHashMap<>();
    private final Map<String, Double> lastConvergence = new ConcurrentHashMap<>();
    private volatile int invalidRules;
    private volatile int unenforcedParts;

    public MetricsListener(Clock clock) {
        this.clock = clock;
    }

    public MetricsListener() {
        this(Clock.systemUTC());
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
            flowMods.addAndGet(result.flowMods());
        }
        Map<String, Integer> f = pending.remove(node);
        if (f != null) {
            flows.put(node, f);
        }
        lastConvergence.put(node, clock.millis() / 1000.0);
    }

    @Override
    public void failed(String node, String reason) {
        failures.computeIfAbsent(node, n -> new AtomicLong()).incrementAndGet();
        if (connected.containsKey(node)) {
            bundleErrors.computeIfAbsent(node, n -> new AtomicLong()).incrementAndGet();
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

    /** The metrics in the Prometheus text format 0.0.4, series sorted by labels. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        Exposition.header(out, "ovsanp_flows", "gauge", "Flows installed by ovs-anp, per node and pipeline table.");
        new TreeMap<>(flows)
                .forEach((node, tables) -> new TreeMap<>(tables)
                        .forEach((table, n) -> Exposition.sample(
                                out, "ovsanp_flows", new String[] {"node", "table"}, new String[] {node, table}, n)));
        Exposition.header(
                out,
                "ovsanp_reconcile_seconds",
                "histogram",
                "Time to converge one switch (dump, diff, bundle commit).");
        reconcile.render(out, "ovsanp_reconcile_seconds");
        Exposition.header(out, "ovsanp_compile_seconds", "histogram", "Time to compile one node's flows.");
        compile.render(out, "ovsanp_compile_seconds");
        Exposition.header(out, "ovsanp_flow_mods_total", "counter", "Flow-mods sent in committed bundles.");
        Exposition.sample(out, "ovsanp_flow_mods_total", new String[0], new String[0], flowMods.get());
        perNode(
                out,
                "ovsanp_realisation_failures_total",
                "counter",
                "Times a node's flows could not be realised (bundle refused, not connected, compile failed).",
                failures);
        perNode(
                out,
                "ovsanp_bundle_errors_total",
                "counter",
                "Realisation failures while the node's switch was connected (the switch refused the bundle).",
                bundleErrors);
        Exposition.header(out, "ovsanp_switches_connected", "gauge", "Switches connected now.");
        Exposition.sample(out, "ovsanp_switches_connected", new String[0], new String[0], connected.size());
        Exposition.header(
                out, "ovsanp_invalid_rules", "gauge", "ANP/BANP rules realised fail-closed because they are invalid.");
        Exposition.sample(out, "ovsanp_invalid_rules", new String[0], new String[0], invalidRules);
        Exposition.header(
                out,
                "ovsanp_unenforced_policy_parts",
                "gauge",
                "Valid parts of policies that ovs-anp does not enforce (e.g. ingress rules); their Ready is False.");
        Exposition.sample(out, "ovsanp_unenforced_policy_parts", new String[0], new String[0], unenforcedParts);
        Exposition.header(
                out,
                "ovsanp_last_convergence_timestamp_seconds",
                "gauge",
                "Unix time of the node's last successful convergence.");
        new TreeMap<>(lastConvergence)
                .forEach((node, t) -> Exposition.sample(
                        out,
                        "ovsanp_last_convergence_timestamp_seconds",
                        new String[] {"node"},
                        new String[] {node},
                        t));
        return out.toString();
    }

    private static void perNode(StringBuilder out, String name, String type, String help, Map<String, AtomicLong> m) {
        Exposition.header(out, name, type, help);
        new TreeMap<>(m)
                .forEach(
                        (node, n) -> Exposition.sample(out, name, new String[] {"node"}, new String[] {node}, n.get()));
    }
}
