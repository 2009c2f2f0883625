package io.ovsanp.controller.metrics;

import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.run.RealisationListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ovsanp_rule_packets_total} and {@code ovsanp_rule_bytes_total} {@code {policy, rule, action,
 * direction}}: the packets and bytes of new connections each rule decided, summed over the switches
 * the loop polls ({@code run --rule-stats-interval}), accounted by {@link RuleCounters} so that they
 * never go down through recompiles. Cardinality is capped (docs/decisions.md, "Rule counters"): the
 * first {@code maxSeries} label sets that count anything get a series of their own for the life of the
 * process; the others are added to {@code policy="_other", rule="_other"} with their action and
 * direction (at most six more series), so every series stays monotonic. Called on the loop thread.
 */
public final class RuleMetrics implements RealisationListener {
    /** Series of their own, at most (README, "Watching it work"). */
    public static final int DEFAULT_MAX_SERIES = 500;

    static final String OTHER = "_other";

    private final RuleCounters counters = new RuleCounters();
    private final Counter packets;
    private final Counter bytes;
    private final int maxSeries;
    private final Set<List<String>> own = new HashSet<>();

    public RuleMetrics(PrometheusRegistry registry, int maxSeries) {
        if (maxSeries < 0) throw new IllegalArgumentException("maxSeries must not be negative");
        this.maxSeries = maxSeries;
        packets = Counter.builder()
                .name("ovsanp_rule_packets_total")
                .help("Packets of new connections a rule decided (its plain and conj_id flows), over the polled"
                        + " switches; rules beyond the series cap are summed in policy=\"_other\".")
                .labelNames("policy", "rule", "action", "direction")
                .register(registry);
        bytes = Counter.builder()
                .name("ovsanp_rule_bytes_total")
                .help("Bytes of new connections a rule decided, as ovsanp_rule_packets_total.")
                .labelNames("policy", "rule", "action", "direction")
                .register(registry);
    }

    public RuleMetrics(PrometheusRegistry registry) {
        this(registry, DEFAULT_MAX_SERIES);
    }

    @Override
    public void ruleCounters(String node, RuleCookies rules, List<DumpedFlow> flows) {
        for (Map.Entry<RuleCounters.RuleKey, RuleCounters.Count> e :
                counters.poll(node, flows, rules).entrySet()) {
            List<String> labels = labels(e.getKey());
            if (!own.contains(labels) && own.size() < maxSeries) own.add(labels);
            String[] values = own.contains(labels)
                    ? labels.toArray(String[]::new)
                    : new String[] {OTHER, OTHER, labels.get(2), labels.get(3)};
            packets.labelValues(values).inc(e.getValue().packets());
            bytes.labelValues(values).inc(e.getValue().bytes());
        }
    }

    @Override
    public void nodeRemoved(String node) {
        counters.forget(node);
    }

    /** {@code policy} Kind/[namespace/]name, {@code rule} INDEX or INDEX:NAME, action, direction. */
    static List<String> labels(RuleCounters.RuleKey key) {
        RuleRef r = key.rule();
        return List.of(
                r.policy().display(),
                r.index() + (r.name().isEmpty() ? "" : ":" + r.name()),
                key.action().apiName(r.policy()),
                r.direction().field());
    }
}
