package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.eval.Fixture.CLUSTER;
import static io.ovsanp.compiler.eval.Fixture.EXTERNAL;
import static io.ovsanp.compiler.eval.Fixture.WEB;
import static io.ovsanp.compiler.eval.Fixture.evaluate;
import static io.ovsanp.compiler.testing.TestClusters.banp;
import static io.ovsanp.compiler.testing.TestClusters.cnp;
import static io.ovsanp.compiler.testing.TestClusters.ip;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.Simulator;
import org.junit.jupiter.api.Test;

/** Pass in both tiers of v1alpha2, by the evaluator and by the compiled flows (simulated). */
class ClusterNetworkPolicyTierTest {
    private static final IpAddress OTHER = ip("198.51.100.9");

    private static boolean simulated(EffectivePolicies policies, IpAddress dst, int port) {
        Simulator sim =
                new Simulator(Compiler.compile(CLUSTER, policies, "w1", Allocation.EMPTY, CompileOptions.DEFAULT)
                        .flows());
        return sim.run(SimPacket.tcp(WEB.toString(), dst.toString(), port), new TableId(0))
                .allowed();
    }

    @Test
    void aBaselinePassSkipsTheRestOfTheBaselineTierSoTheDefaultAllows() {
        EffectivePolicies ps = policies()
                .baseline(
                        cnp(Tier.BASELINE, "exceptions", 1)
                                .pass("to-partner", r -> r.toNetworks("203.0.113.0/24"))
                                .deny("later-in-the-same-policy", r -> r.toNetworks("0.0.0.0/0")),
                        cnp(Tier.BASELINE, "lockdown", 2).deny("everything", r -> r.toNetworks("0.0.0.0/0")),
                        banp().deny("everything", r -> r.toNetworks("0.0.0.0/0")))
                .build();

        Verdict passed = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80));
        Verdict other = evaluate(ps, Packet.tcp(WEB, OTHER, 80));

        assertThat(passed.allowed()).isTrue();
        assertThat(passed.describe())
                .isEqualTo(
                        "ALLOW: no rule matched; passed by ClusterNetworkPolicy/exceptions egress[0] \"to-partner\"");
        assertThat(simulated(ps, EXTERNAL, 80)).as("compiled flows").isTrue();
        assertThat(other.allowed()).isFalse();
        assertThat(other.describe()).startsWith("DENY by ClusterNetworkPolicy/exceptions egress[1]");
        assertThat(simulated(ps, OTHER, 80)).as("compiled flows").isFalse();
    }

    @Test
    void anAdminPassLeavesTheDecisionToTheBaselineTier() {
        EffectivePolicies ps = policies()
                .admin(cnp(Tier.ADMIN, "delegate", 3).pass("internet", r -> r.toNetworks("0.0.0.0/0")))
                .baseline(cnp(Tier.BASELINE, "floor", 1).deny("partner", r -> r.toNetworks("203.0.113.0/24")))
                .build();

        Verdict v = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 443));

        assertThat(v.allowed()).isFalse();
        assertThat(v.describe())
                .isEqualTo("DENY by ClusterNetworkPolicy/floor egress[0] \"partner\" (Deny); passed by"
                        + " ClusterNetworkPolicy/delegate egress[0] \"internet\"");
        assertThat(simulated(ps, EXTERNAL, 443)).isFalse();
        assertThat(simulated(ps, OTHER, 443)).isTrue();
    }
}
