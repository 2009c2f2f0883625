package io.ovsanp.controller.metrics;

import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.cluster;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The rule counters as Prometheus series: labels, the cap, monotonic through a recompile that replaces flows. */
class RuleMetricsTest {
    private static final ClusterSnapshot CLUSTER = cluster()
            .namespace("shop")
            .and()
            .pod("shop", "web", "10.244.1.2")
            .on("n1")
            .and()
            .node("n1", "172.18.0.11")
            .and()
            .build();

    private static CompileResult compile(String network, Allocation previous) {
        EffectivePolicies p = policies()
                .admin(anp("guard", 10)
                        .allow("dns", r -> r.toNetworks("10.96.0.10/32").udp(53))
                        .deny("ssh", r -> r.toNetworks(network).tcp(22)))
                .build();
        return Compiler.compile(CLUSTER, p, "n1", previous, CompileOptions.DEFAULT);
    }

    /** A rule's flows as a dump shows them: packets counted so far (60 bytes each), seconds alive. */
    private record Seen(long packets, long durationSec) {}

    /** Every flow of {@code r}, the flows of each named rule as {@code seen} says (the others at 0). */
    private static List<DumpedFlow> dump(CompileResult r, Map<String, Seen> seen) {
        RuleCookies rules = RuleCookies.of(r);
        List<DumpedFlow> out = new ArrayList<>();
        for (Flow f : r.flows()) {
            DumpedFlow d = DumpedFlow.of(f);
            Seen s = rules.rule(f.cookie())
                    .map(rule -> seen.getOrDefault(rule.ref().name(), new Seen(0, 0)))
                    .orElse(new Seen(0, 0));
            long p = s.packets();
            long durationSec = s.durationSec();
            out.add(new DumpedFlow(
                    d.tableId(),
                    d.priority(),
                    d.cookie(),
                    0,
                    0,
                    0,
                    durationSec,
                    0,
                    p,
                    p * 60,
                    d.rawMatch(),
                    d.flow(),
                    "",
                    d.forwarding()));
        }
        return out;
    }

    /** {@code policy|rule|action|direction} → value of {@code family}. */
    private static Map<String, Double> values(PrometheusRegistry registry, String family) {
        Map<String, Double> out = new TreeMap<>();
        for (MetricSnapshot s : registry.scrape()) {
            if (!s.getMetadata().getPrometheusName().equals(family)) continue;
            for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) s).getDataPoints()) {
                out.put(
                        p.getLabels().get("policy") + "|" + p.getLabels().get("rule") + "|"
                                + p.getLabels().get("action") + "|"
                                + p.getLabels().get("direction"),
                        p.getValue());
            }
        }
        return out;
    }

    @Test
    void rulesBeyondTheCapAddUpInOtherAndEverySeriesOnlyGrows() {
        PrometheusRegistry registry = new PrometheusRegistry();
        RuleMetrics metrics = new RuleMetrics(registry, 1);
        CompileResult first = compile("192.0.2.0/24", Allocation.EMPTY);
        metrics.ruleCounters(
                "n1", RuleCookies.of(first), dump(first, Map.of("dns", new Seen(2, 10), "ssh", new Seen(2, 10))));
        Map<String, Double> packets = values(registry, "ovsanp_rule_packets");
        assertThat(packets)
                .hasSize(2)
                .containsValue(2.0)
                .containsEntry("_other|_other|Deny|egress", 2.0)
                .containsEntry("AdminNetworkPolicy/guard|0:dns|Allow|egress", 2.0);
        assertThat(values(registry, "ovsanp_rule_bytes")).containsEntry("_other|_other|Deny|egress", 120.0);

        // the Deny rule's flow is replaced (new network: deleted, added, counting from 0)
        CompileResult moved = compile("198.51.100.0/24", first.allocation());
        // the kept Allow flow has counted nothing since: same packets, older
        metrics.ruleCounters(
                "n1", RuleCookies.of(moved), dump(moved, Map.of("dns", new Seen(2, 20), "ssh", new Seen(1, 1))));
        packets = values(registry, "ovsanp_rule_packets");
        assertThat(packets)
                .containsEntry("_other|_other|Deny|egress", 3.0)
                .containsEntry("AdminNetworkPolicy/guard|0:dns|Allow|egress", 2.0); // kept flow, no new packet
        metrics.ruleCounters(
                "n1", RuleCookies.of(moved), dump(moved, Map.of("dns", new Seen(4, 30), "ssh", new Seen(4, 30))));
        assertThat(values(registry, "ovsanp_rule_packets"))
                .containsEntry("_other|_other|Deny|egress", 6.0)
                .containsEntry("AdminNetworkPolicy/guard|0:dns|Allow|egress", 4.0)
                .hasSize(2);
    }
}
