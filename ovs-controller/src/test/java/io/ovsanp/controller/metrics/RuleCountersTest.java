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
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/** The accounting of rule counters over successive dumps, through recompiles that keep or replace flows. */
class RuleCountersTest {
    private static final ClusterSnapshot CLUSTER = cluster()
            .namespace("shop")
            .and()
            .pod("shop", "web", "10.244.1.2")
            .on("n1")
            .and()
            .node("n1", "172.18.0.11")
            .and()
            .build();

    private static EffectivePolicies guard(Action ssh, String sshNetwork) {
        return policies()
                .admin(anp("guard", 10)
                        .allow("dns", r -> r.toNetworks("10.96.0.10/32").udp(53))
                        .rule(ssh, "ssh", r -> r.toNetworks(sshNetwork).tcp(22)))
                .build();
    }

    private static CompileResult compile(EffectivePolicies p, Allocation previous) {
        return Compiler.compile(CLUSTER, p, "n1", previous, CompileOptions.DEFAULT);
    }

    /** The switch's dump of {@code r}'s flows, each counting what {@code packets} gives it (bytes 100 per packet). */
    private static List<DumpedFlow> dump(CompileResult r, ToLongFunction<Flow> packets, long durationSec) {
        List<DumpedFlow> out = new ArrayList<>();
        for (Flow f : r.flows()) {
            DumpedFlow d = DumpedFlow.of(f);
            long p = packets.applyAsLong(f);
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
                    p * 100,
                    d.rawMatch(),
                    d.flow(),
                    "",
                    d.forwarding()));
        }
        return out;
    }

    private static ToLongFunction<Flow> rule(CompileResult r, int index, long packets) {
        long id =
                RuleCookies.of(r).select("guard", OptionalInt.of(index)).get(0).ruleId();
        return f -> RuleCookies.isRuleCookie(f.cookie()) && f.cookie().ruleId() == id ? packets : 0;
    }

    private static RuleCounters.Count total(RuleCounters c, String name, Action action) {
        return c.totals().entrySet().stream()
                .filter(e -> e.getKey().rule().name().equals(name) && e.getKey().action() == action)
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(RuleCounters.Count.ZERO);
    }

    @Test
    void aRecompileThatKeepsTheFlowsKeepsCountingFromWhereTheyWere() {
        CompileResult first = compile(guard(Action.DENY, "192.0.2.0/24"), Allocation.EMPTY);
        RuleCounters c = new RuleCounters();
        Map<RuleCounters.RuleKey, RuleCounters.Count> added =
                c.poll("n1", dump(first, rule(first, 1, 3), 10), RuleCookies.of(first));
        assertThat(added).hasSize(1);
        assertThat(total(c, "ssh", Action.DENY)).isEqualTo(new RuleCounters.Count(3, 300));
        // the same flows (a recompile of an unrelated change), 2 more packets
        CompileResult again = compile(guard(Action.DENY, "192.0.2.0/24"), first.allocation());
        assertThat(again.flows()).isEqualTo(first.flows());
        c.poll("n1", dump(again, rule(again, 1, 5), 20), RuleCookies.of(again));
        assertThat(total(c, "ssh", Action.DENY)).isEqualTo(new RuleCounters.Count(5, 500));
        assertThat(total(c, "dns", Action.ALLOW)).isEqualTo(RuleCounters.Count.ZERO);
    }

    @Test
    void aModifiedFlowKeepsItsCountersAndItsIncreaseGoesToTheRuleAsItIsNow() {
        CompileResult first = compile(guard(Action.DENY, "192.0.2.0/24"), Allocation.EMPTY);
        RuleCounters c = new RuleCounters();
        c.poll("n1", dump(first, rule(first, 1, 4), 10), RuleCookies.of(first));
        // Deny becomes Allow: same keys and cookie, new actions (MODIFY_STRICT keeps counters, duration)
        CompileResult allow = compile(guard(Action.ALLOW, "192.0.2.0/24"), first.allocation());
        c.poll("n1", dump(allow, rule(allow, 1, 7), 20), RuleCookies.of(allow));
        assertThat(total(c, "ssh", Action.DENY)).isEqualTo(new RuleCounters.Count(4, 400));
        assertThat(total(c, "ssh", Action.ALLOW)).isEqualTo(new RuleCounters.Count(3, 300));
    }

    @Test
    void aReplacedFlowIsAccountedNotLost() {
        CompileResult first = compile(guard(Action.DENY, "192.0.2.0/24"), Allocation.EMPTY);
        RuleCounters c = new RuleCounters();
        c.poll("n1", dump(first, rule(first, 1, 9), 100), RuleCookies.of(first));
        // another network: the flow is deleted and a new one added, counting from 0
        CompileResult moved = compile(guard(Action.DENY, "198.51.100.0/24"), first.allocation());
        assertThat(moved.flows()).isNotEqualTo(first.flows());
        c.poll("n1", dump(moved, rule(moved, 1, 2), 1), RuleCookies.of(moved));
        assertThat(total(c, "ssh", Action.DENY)).isEqualTo(new RuleCounters.Count(11, 1100));
        // the same flow re-created between two polls (ovs-vswitchd restarted): more packets than before,
        // but a shorter duration: all of them are new
        c.poll("n1", dump(moved, rule(moved, 1, 5), 0), RuleCookies.of(moved));
        assertThat(total(c, "ssh", Action.DENY)).isEqualTo(new RuleCounters.Count(16, 1600));
        // counters that went down under a longer duration: re-created too
        c.poll("n1", dump(moved, rule(moved, 1, 1), 50), RuleCookies.of(moved));
        assertThat(total(c, "ssh", Action.DENY)).isEqualTo(new RuleCounters.Count(17, 1700));
    }

    @Test
    void flowsOfNoRuleAreNotCountedAndNodesAddUp() {
        CompileResult first = compile(guard(Action.DENY, "192.0.2.0/24"), Allocation.EMPTY);
        RuleCounters c = new RuleCounters();
        c.poll("n1", dump(first, f -> RuleCookies.isRuleCookie(f.cookie()) ? 0 : 50, 10), RuleCookies.of(first));
        assertThat(c.totals()).isEmpty();
        c.poll("n1", dump(first, rule(first, 0, 1), 10), RuleCookies.of(first));
        c.poll("n2", dump(first, rule(first, 0, 2), 10), RuleCookies.of(first));
        assertThat(total(c, "dns", Action.ALLOW)).isEqualTo(new RuleCounters.Count(3, 300));
        c.forget("n2");
        c.poll("n2", dump(first, rule(first, 0, 2), 10), RuleCookies.of(first));
        assertThat(total(c, "dns", Action.ALLOW))
                .as("a forgotten node's flows count again from what they hold")
                .isEqualTo(new RuleCounters.Count(5, 500));
    }
}
