package io.ovsanp.compiler.property;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.eval.ConnectionVerdict;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
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
        io.ovsanp.compiler.dns.ResolverStates learned = gen.resolved(snapshot);
        Evaluator evaluator = new Evaluator(snapshot, policies, vips, learned);
        Map<String, Simulator> perNode = new HashMap<>();
        Map<String, CompileResult> compiled = new HashMap<>();
        for (Packet p : gen.packets(snapshot, 20)) {
            // The connection crosses the source pod's node and the destination pod's node (one node
            // when they share it, none for a side that is no pod): it is allowed when every pipeline
            // it crosses outputs it, and that must be the evaluator's combined verdict.
            java.util.LinkedHashSet<String> nodes = new java.util.LinkedHashSet<>();
            nodeOf(evaluator, p.src()).ifPresent(nodes::add);
            nodeOf(evaluator, p.dst()).ifPresent(nodes::add);
            if (nodes.isEmpty()) nodes.add("n0");
            ConnectionVerdict expected = evaluator.evaluateConnection(p);
            Statistics.label("verdict via a pre-DNAT ClusterIP")
                    .collect(
                            expected.egress().serviceVip().isPresent()
                                    ? (expected.egress().allowed() ? "ALLOW" : "DENY")
                                    : "no");
            boolean learnedDst = evaluator.matcher().resolvedBy(p.src()).addresses().values().stream()
                    .anyMatch(ips -> ips.contains(p.dst()));
            Statistics.label("to an address the source pod learned")
                    .collect(learnedDst ? (expected.egress().allowed() ? "allowed" : "denied") : "no");
            Statistics.label("deciding side")
                    .collect(
                            expected.allowed()
                                    ? "allowed"
                                    : !expected.egress().allowed() ? "egress denies" : "ingress denies");
            boolean allowed = true;
            StringBuilder traces = new StringBuilder();
            for (String node : nodes) {
                Simulator sim = perNode.computeIfAbsent(node, n -> {
                    CompileResult r = Compiler.compile(snapshot, policies, n, Allocation.EMPTY, options, learned);
                    compiled.put(n, r);
                    return new Simulator(r.flows());
                });
                SimResult got = sim.run(toSim(p), new TableId(0));
                allowed &= got.allowed();
                traces.append("node ")
                        .append(node)
                        .append(":\n")
                        .append(got.traceText())
                        .append("\nflows:\n")
                        .append(OfctlRenderer.renderAll(compiled.get(node).flows(), CompileOptions.DEFAULT.pipeline()))
                        .append('\n');
            }
            assertThat(allowed)
                    .as(
                            "seed %d service VIPs %s nodes %s packet %s%nevaluator: %s%negress: %s%ningress: %s%n%s",
                            seed,
                            vips,
                            nodes,
                            p,
                            expected.describe(),
                            expected.egress().explain(),
                            expected.ingress().explain(),
                            traces)
                    .isEqualTo(expected.allowed());
        }
        Statistics.label("deciding side").coverage(c -> {
            c.check("egress denies").count(n -> n >= 50);
            c.check("ingress denies").count(n -> n >= 50);
        });
        // Learned names must matter: some connections to learned addresses allowed, some denied.
        Statistics.label("to an address the source pod learned").coverage(c -> {
            c.check("allowed").count(n -> n >= 15);
            c.check("denied").count(n -> n >= 15);
        });
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

    /** The node of the pod that owns {@code ip} (the evaluator's pick), if a pod does. */
    static java.util.Optional<String> nodeOf(Evaluator evaluator, io.ovsanp.compiler.net.IpAddress ip) {
        return evaluator.matcher().podsWithIp(ip).stream().findFirst().map(PodInfo::nodeName);
    }

    static SimPacket toSim(Packet p) {
        int proto = p.proto().number();
        return SimPacket.ip(
                p.src().toString(), p.dst().toString(), proto, p.proto().hasPorts() ? p.dstPort() : -1);
    }
}
