package io.ovsanp.compiler.property;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.SimResult;
import io.ovsanp.compiler.sim.Simulator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The differential property of the compiler: for random clusters and policies and random packets,
 * the verdict of the compiled flows (run through the simulator, which implements OVS's lookup with
 * conjunctions) equals the verdict of the reference evaluator, which implements the API directly.
 * The simulator also throws when two flows would tie (OVS's choice would be unpredictable). Each
 * seed also picks a service-VIP mode, so packets to ClusterIPs are checked with and without the
 * pre-DNAT mapping.
 */
class CompiledFlowsAgreeWithEvaluatorProperties {

    @Property(tries = 1000)
    void simulatedFlowsGiveTheEvaluatorsVerdict(@ForAll long seed) {
        RandomClusters gen = new RandomClusters(seed);
        ClusterSnapshot snapshot = gen.cluster();
        ServiceVips vips = gen.serviceVips();
        CompileOptions options = CompileOptions.DEFAULT.withServiceVips(vips);
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        Evaluator evaluator = new Evaluator(snapshot, policies, vips);
        Map<String, Simulator> perNode = new HashMap<>();
        Map<String, CompileResult> compiled = new HashMap<>();
        for (Packet p : gen.packets(snapshot, 20)) {
            String node = snapshot.pods().stream()
                    .filter(pod -> !pod.hostNetwork() && pod.ips().contains(p.src()))
                    .map(PodInfo::nodeName)
                    .findFirst()
                    .orElse("n0");
            Simulator sim = perNode.computeIfAbsent(node, n -> {
                CompileResult r = Compiler.compile(snapshot, policies, n, Allocation.EMPTY, options);
                compiled.put(n, r);
                return new Simulator(r.flows());
            });
            Verdict expected = evaluator.evaluate(p);
            Statistics.label("verdict via a pre-DNAT ClusterIP")
                    .collect(expected.serviceVip().isPresent() ? (expected.allowed() ? "ALLOW" : "DENY") : "no");
            SimResult got = sim.run(toSim(p), new TableId(0));
            assertThat(got.allowed())
                    .as(
                            "seed %d service VIPs %s node %s packet %s%nevaluator: %s%nsimulator:%n%s%nflows:%n%s",
                            seed,
                            vips,
                            node,
                            p,
                            expected.explain(),
                            got.traceText(),
                            OfctlRenderer.renderAll(compiled.get(node).flows(), CompileOptions.DEFAULT.pipeline()))
                    .isEqualTo(expected.allowed());
        }
        // The mapping must actually decide verdicts, both ways, or this property proves nothing about it.
        Statistics.label("verdict via a pre-DNAT ClusterIP").coverage(c -> {
            c.check("ALLOW").count(n -> n >= 15);
            c.check("DENY").count(n -> n >= 15);
        });
    }

    @Property(tries = 200)
    void recompilingWithThePreviousAllocationIsStable(@ForAll long seed) {
        RandomClusters gen = new RandomClusters(seed);
        ClusterSnapshot snapshot = gen.cluster();
        CompileOptions options = CompileOptions.DEFAULT.withServiceVips(gen.serviceVips());
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        for (String node : List.of("n0", "n1", "n2")) {
            CompileResult first = Compiler.compile(snapshot, policies, node, Allocation.EMPTY, options);
            CompileResult again = Compiler.compile(snapshot, policies, node, first.allocation(), options);
            assertThat(again.flows()).isEqualTo(first.flows());
        }
    }

    static SimPacket toSim(Packet p) {
        int proto = p.proto().number();
        return SimPacket.ip(
                p.src().toString(), p.dst().toString(), proto, p.proto().hasPorts() ? p.dstPort() : -1);
    }
}
