package io.ovsanp.it.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.property.RandomClusters;
import io.ovsanp.it.ovs.NodePipeline;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.TraceVerdict;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A random sample of generated clusters and policies (the generator of the property tests), compiled
 * for the source pod's node, loaded into a real ovs-vswitchd, and probed with {@code ofproto/trace}:
 * OVS must agree with the reference evaluator on every packet. The seeds are fixed so a failure
 * replays; {@code -Dovsanp.it.seed=N} starts elsewhere.
 */
class GeneratedCasesOnOvsIT {
    static final int CLUSTERS = 40;
    static final int PACKETS_PER_CLUSTER = 12;

    @Test
    void ovsAgreesWithTheEvaluatorOnGeneratedClusters() {
        Needs.ovs();
        long base = Long.getLong("ovsanp.it.seed", 20261125L);
        int checked = 0;
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            for (int c = 0; c < CLUSTERS; c++) {
                long seed = base + c;
                RandomClusters gen = new RandomClusters(seed);
                ClusterSnapshot snapshot = gen.cluster();
                EffectivePolicies policies = PolicyValidator.validate(snapshot);
                Evaluator evaluator = new Evaluator(snapshot, policies);
                String loadedNode = null;
                for (Packet p : gen.packets(snapshot, PACKETS_PER_CLUSTER)) {
                    Optional<PodInfo> src = snapshot.pods().stream()
                            .filter(pod -> !pod.hostNetwork() && pod.ips().contains(p.src()))
                            .findFirst();
                    String node = src.map(PodInfo::nodeName).orElse("n0");
                    if (!node.equals(loadedNode)) {
                        NodePipeline.load(bridge, snapshot, policies, node, CompileOptions.DEFAULT);
                        loadedNode = node;
                    }
                    Verdict expected = evaluator.evaluate(p);
                    TraceVerdict got = NodePipeline.trace(bridge, p);
                    assertThat(!got.dropped())
                            .as(
                                    "seed %d node %s packet %s%nevaluator: %s%n%s%nflows:%n%s",
                                    seed, node, p, expected.explain(), got.trace(), bridge.describe())
                            .isEqualTo(expected.allowed());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(CLUSTERS * PACKETS_PER_CLUSTER / 2);
    }
}
