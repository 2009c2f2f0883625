package io.ovsanp.compiler.compile;

import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.banp;
import static io.ovsanp.compiler.testing.TestClusters.cluster;
import static io.ovsanp.compiler.testing.TestClusters.labels;
import static io.ovsanp.compiler.testing.TestClusters.networkPolicy;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.testing.AdminPolicyBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllocationRecoveryTest {
    private static final ClusterSnapshot CLUSTER = cluster()
            .namespace("shop")
            .label("team", "a")
            .and()
            .namespace("db")
            .label("team", "b")
            .and()
            .pod("shop", "web", "10.244.1.2", "fd00::2")
            .on("n1")
            .label("app", "web")
            .and()
            .pod("shop", "api", "10.244.1.3")
            .on("n1")
            .label("app", "api")
            .port("http", Protocol.TCP, 8080)
            .and()
            .pod("db", "pg", "10.244.2.4")
            .on("n2")
            .label("app", "pg")
            .port("pg", Protocol.TCP, 5432)
            .and()
            .node("n1", "172.18.0.11")
            .label("role", "worker")
            .and()
            .node("n2", "172.18.0.12")
            .label("role", "worker")
            .and()
            .build();

    private static AdminPolicyBuilder a(int priority, String name, int variant) {
        return anp(name, priority)
                .allow(
                        "dns",
                        r -> r.toNetworks("10.96.0.10/32", "10.96.0.11/32")
                                .udp(53)
                                .tcp(53))
                .deny(
                        "nodes",
                        r -> r.toNodes(labels("role", "worker")).tcp(10250).tcp(22))
                .allow(
                        "db",
                        r -> r.toNamespaces(labels("team", "b")).named("pg").tcp(5432 + variant))
                .pass(
                        "web",
                        r -> r.toPodsIn("shop", labels("app", "web")).tcp(80).tcp(443));
    }

    private static EffectivePolicies v1() {
        return policies()
                .admin(a(10, "first", 0), a(20, "second", 0))
                .networkPolicy(networkPolicy("shop", "np")
                        .allow(r -> r.toNetworks("192.0.2.0/24").tcp(443).tcp(8443)))
                .baseline(banp().deny("all", r -> r.toNetworks("0.0.0.0/0", "::/0")))
                .build();
    }

    /** Inserts an ANP between the two, edits the second and drops the NetworkPolicy. */
    private static EffectivePolicies v2() {
        return policies()
                .admin(a(10, "first", 0), a(15, "inserted", 3), a(20, "second", 1))
                .baseline(banp().deny("all", r -> r.toNetworks("0.0.0.0/0", "::/0")))
                .build();
    }

    /** The second ANP goes away again, the first gets an extra rule at its end. */
    private static EffectivePolicies v3() {
        return policies()
                .admin(
                        a(10, "first", 0)
                                .deny(
                                        "extra",
                                        r -> r.toNetworks("198.51.100.0/24", "203.0.113.0/24")
                                                .tcp(25)
                                                .tcp(587)),
                        a(15, "inserted", 3))
                .networkPolicy(networkPolicy("shop", "np")
                        .allow(r -> r.toNetworks("192.0.2.0/24").tcp(443).tcp(8443)))
                .baseline(banp().deny("all", r -> r.toNetworks("0.0.0.0/0", "::/0")))
                .build();
    }

    private static CompileResult compile(EffectivePolicies p, Allocation previous) {
        return Compiler.compile(CLUSTER, p, "n1", previous, CompileOptions.DEFAULT);
    }

    /** The history's allocation differs from a fresh one; recovery reproduces the installed flows. */
    @Test
    void recoveredAllocationReproducesTheInstalledFlowsAfterAHistoryOfEdits() {
        CompileResult r1 = compile(v1(), Allocation.EMPTY);
        CompileResult r2 = compile(v2(), r1.allocation());
        CompileResult installed = compile(v3(), r2.allocation());
        CompileResult fresh = compile(v3(), Allocation.EMPTY);
        assertThat(FlowDiff.between(installed.flows(), fresh.flows()).size())
                .as("the history matters: a restart without recovery would churn")
                .isPositive();

        Allocation recovered = AllocationRecovery.recover(shuffled(installed.flows()), fresh);
        CompileResult again = compile(v3(), recovered);

        assertThat(again.flows().flows()).isEqualTo(installed.flows().flows());
        assertThat(FlowDiff.between(installed.flows(), again.flows()).size()).isZero();
    }

    /** A rule changed while the controller was away: only its flows change, the rest keep their numbers. */
    @Test
    void aRuleChangedMeanwhileGetsNewNumbersAndNothingElseMoves() {
        CompileResult r1 = compile(v1(), Allocation.EMPTY);
        CompileResult installed = compile(v2(), r1.allocation());
        EffectivePolicies changed = policies()
                .admin(a(10, "first", 0), a(15, "inserted", 3), a(20, "second", 7))
                .baseline(banp().deny("all", r -> r.toNetworks("0.0.0.0/0", "::/0")))
                .build();
        CompileResult fresh = compile(changed, Allocation.EMPTY);

        CompileResult next =
                compile(changed, AllocationRecovery.recover(installed.flows().flows(), fresh));
        FlowDiff diff = FlowDiff.between(installed.flows(), next.flows());

        // Exactly what an incremental compile from the real history would send.
        CompileResult incremental = compile(changed, installed.allocation());
        assertThat(next.flows().flows()).isEqualTo(incremental.flows().flows());
        assertThat(diff.size()).isPositive();
        Set<Long> touched = new HashSet<>();
        diff.adds().forEach(f -> touched.add(f.cookie().ruleId()));
        diff.modifies().forEach(f -> touched.add(f.cookie().ruleId()));
        diff.deletes().forEach(f -> touched.add(f.cookie().ruleId()));
        assertThat(touched)
                .as("only the edited rule (second/db) is touched")
                .containsExactly(installed.allocation().ruleIds().get(key(installed, "second", 2)));
    }

    @Test
    void anEmptySwitchRecoversNothingAndForeignOrPipelineFlowsAreIgnored() {
        CompileResult fresh = compile(v1(), Allocation.EMPTY);
        assertThat(AllocationRecovery.recover(List.of(), fresh)).isEqualTo(Allocation.EMPTY);
        List<Flow> pipelineOnly = fresh.flows().flows().stream()
                .filter(f -> f.cookie().ruleId() == 0)
                .toList();
        assertThat(AllocationRecovery.recover(pipelineOnly, fresh)).isEqualTo(Allocation.EMPTY);
    }

    /** Two rules with identical content (different priorities) are paired in precedence order. */
    @Test
    void identicalRulesArePairedInPrecedenceOrder() {
        EffectivePolicies twins = policies()
                .admin(
                        anp("x", 10).deny("same", r -> r.toNetworks("203.0.113.0/24")),
                        anp("y", 11).deny("same", r -> r.toNetworks("203.0.113.0/24")))
                .build();
        EffectivePolicies before = policies()
                .admin(
                        anp("w", 5).deny("other", r -> r.toNetworks("198.51.100.0/24")),
                        anp("x", 10).deny("same", r -> r.toNetworks("203.0.113.0/24")),
                        anp("y", 11).deny("same", r -> r.toNetworks("203.0.113.0/24")))
                .build();
        CompileResult installed =
                compile(twins, compile(before, Allocation.EMPTY).allocation());
        CompileResult again =
                compile(twins, AllocationRecovery.recover(installed.flows().flows(), compile(twins, Allocation.EMPTY)));
        assertThat(again.flows().flows()).isEqualTo(installed.flows().flows());
    }

    private static String key(CompileResult r, String policy, int index) {
        return r.allocation().ruleIds().keySet().stream()
                .filter(k -> k.contains("|" + policy + "|") && k.endsWith("|" + index))
                .findFirst()
                .orElseThrow();
    }

    private static List<Flow> shuffled(FlowSet flows) {
        List<Flow> out = new ArrayList<>(flows.flows());
        java.util.Collections.shuffle(out, new java.util.Random(7));
        return out;
    }
}
