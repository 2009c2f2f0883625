package io.ovsanp.it.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.eval.ConnectionVerdict;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.property.RandomClusters;
import io.ovsanp.it.ovs.NodeBridges;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import org.junit.jupiter.api.Test;

/**
 * A random sample of generated clusters and policies (the generator of the property tests), compiled
 * per node, loaded into a real ovs-vswitchd (one bridge per node) and probed with {@code
 * ofproto/trace} on every pipeline the packet's connection crosses: the source pod's node (egress) and
 * the destination pod's node (ingress), one pipeline when they share a node. The connection passes
 * when every one of them outputs it, and that must be the reference evaluator's combined verdict
 * ({@link Evaluator#evaluateConnection}). The seeds are fixed so a failure replays; {@code
 * -Dovsanp.it.seed=N} starts elsewhere.
 */
class GeneratedCasesOnOvsIT {
    static final int CLUSTERS = 40;
    static final int PACKETS_PER_CLUSTER = 12;

    @Test
    void ovsAgreesWithTheEvaluatorOnGeneratedClusters() {
        Needs.ovs();
        long base = Long.getLong("ovsanp.it.seed", 20261125L);
        int checked = 0;
        int crossNode = 0;
        int ingressDenies = 0;
        try (PrivateOvs ovs = PrivateOvs.start()) {
            NodeBridges nodes = new NodeBridges(ovs);
            for (int c = 0; c < CLUSTERS; c++) {
                long seed = base + c;
                RandomClusters gen = new RandomClusters(seed);
                ClusterSnapshot snapshot = gen.cluster();
                EffectivePolicies policies = PolicyValidator.validate(snapshot);
                Evaluator evaluator = new Evaluator(snapshot, policies);
                nodes.use(snapshot, policies, CompileOptions.DEFAULT);
                for (Packet p : gen.packets(snapshot, PACKETS_PER_CLUSTER)) {
                    ConnectionVerdict expected = evaluator.evaluateConnection(p);
                    // A packet from no pod (a node, a host-network pod) still passes some node's pipeline.
                    NodeBridges.Crossing got = nodes.trace(evaluator, p, "n0");
                    if (got.allowed() != expected.allowed()) {
                        assertThat(got.allowed())
                                .as(
                                        "seed %d nodes %s packet %s%nevaluator: %s%negress: %s%ningress: %s%n%s",
                                        seed,
                                        got.nodes(),
                                        p,
                                        expected.describe(),
                                        expected.egress().explain(),
                                        expected.ingress().explain(),
                                        got.describe())
                                .isEqualTo(expected.allowed());
                    }
                    checked++;
                    if (got.crossesNodes()) crossNode++;
                    if (expected.egress().allowed() && !expected.ingress().allowed()) ingressDenies++;
                }
            }
        }
        assertThat(checked).isGreaterThan(CLUSTERS * PACKETS_PER_CLUSTER / 2);
        assertThat(crossNode).as("connections traced on two nodes").isPositive();
        assertThat(ingressDenies)
                .as("connections the destination's side denies")
                .isPositive();
    }
}
