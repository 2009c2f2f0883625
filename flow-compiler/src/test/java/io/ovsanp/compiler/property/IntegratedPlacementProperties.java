package io.ovsanp.compiler.property;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.ofctl.CtStates;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.pipeline.Placement;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.SimResult;
import io.ovsanp.compiler.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The differential property again, with ovs-anp as one stage of a CNI pipeline: a random placement
 * (first table, own or the CNI's conntrack, exit by goto or resubmit) and, half the time, pod identity
 * from a register. The CNI around the stage is three flows: its conntrack already ran (for the CNI
 * mode), the exit table forwards. With register identity every packet is sent with a forged source
 * address, and must still get the verdict of the pod that really sent it.
 */
class IntegratedPlacementProperties {

    @Property(tries = 300)
    void theStageGivesTheEvaluatorsVerdictWhereverItIsPlaced(@ForAll long seed) {
        Random r = new Random(seed);
        RandomClusters gen = new RandomClusters(seed);
        ClusterSnapshot snapshot = gen.cluster();
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        Evaluator evaluator = new Evaluator(snapshot, policies);

        Placement.Conntrack ct = r.nextBoolean() ? Placement.Conntrack.OWN : Placement.Conntrack.CNI;
        int first = 10 + r.nextInt(150);
        int needed = ct == Placement.Conntrack.OWN ? Placement.TABLES_OWN_CONNTRACK : Placement.TABLES_CNI_CONNTRACK;
        boolean gotoExit = r.nextBoolean();
        int exitTable = gotoExit ? first + needed + r.nextInt(20) : r.nextInt(first);
        Optional<Integer> register = r.nextBoolean() ? Optional.of(r.nextInt(8)) : Optional.empty();
        Placement placement = new Placement(
                first,
                needed + r.nextInt(3),
                new TreeSet<>(List.of(exitTable)),
                gotoExit ? new Placement.Exit.Goto(exitTable) : new Placement.Exit.Resubmit(exitTable),
                ct,
                1 + r.nextInt(65000),
                register);
        CompileOptions options = new CompileOptions(PipelineSpec.of(placement), 1);

        java.util.Map<String, CompileResult> compiledByNode = new java.util.HashMap<>();
        for (Packet p : gen.packets(snapshot, 12)) {
            PodInfo sender = snapshot.pods().stream()
                    .filter(pod -> !pod.hostNetwork() && pod.ips().contains(p.src()))
                    .findFirst()
                    .orElse(null);
            String node = sender == null ? "n0" : sender.nodeName();
            CompileResult compiled = compiledByNode.computeIfAbsent(
                    node, n -> Compiler.compile(snapshot, policies, n, Allocation.EMPTY, options));
            assertThat(compiled.flows().flows())
                    .allSatisfy(f -> assertThat(f.table().value()).isBetween(first, placement.lastTable()));
            List<Flow> all = new ArrayList<>(compiled.flows().flows());
            all.add(OfctlParser.parseFlow("table=" + exitTable + ",priority=0,actions=NORMAL"));
            Simulator sim = new Simulator(FlowSet.of(all));

            SimPacket sp = CompiledFlowsAgreeWithEvaluatorProperties.toSim(p);
            Packet seen = p; // the packet as the ingress side sees it (a forged source, below)
            if (register.isPresent() && sender != null) {
                Optional<IpAddress> v4 = sender.ips().stream()
                        .filter(ip -> ip.family() == IpFamily.V4)
                        .findFirst();
                if (v4.isPresent()) {
                    // The CNI's spoof guard vouches for the pod; the pod forges its source address.
                    sp = forgeSource(p, v4.get())
                            .withReg(register.get(), v4.get().toBigInteger().longValueExact());
                    seen = new Packet(IpAddress.parse(forged(p)), p.dst(), p.proto(), p.dstPort());
                }
            }
            if (ct == Placement.Conntrack.CNI) {
                sp = sp.withConntrack(CtStates.TRK | CtStates.NEW, placement.zone(), 0);
            }
            // The stage judges the sender's egress and, when the destination is a pod of the same
            // node, its ingress; ingress peers are recognised by source address (a register identifies
            // only the node's own senders), so the ingress side sees the forged address.
            Verdict expected = evaluator.evaluate(p);
            List<PodInfo> receivers = evaluator.matcher().podsWithIp(p.dst());
            boolean sameNode =
                    !receivers.isEmpty() && receivers.get(0).nodeName().equals(node);
            if (expected.allowed() && sameNode && !p.src().equals(p.dst())) {
                expected = evaluator.evaluateIngress(seen);
            }
            SimResult got = sim.run(sp, TableId.of(first));
            assertThat(got.allowed())
                    .as(
                            "seed %d placement %s node %s packet %s (sim %s)%nevaluator: %s%nsimulator:%n%s%nflows:%n%s",
                            seed,
                            placement,
                            node,
                            p,
                            sp,
                            expected.explain(),
                            got.traceText(),
                            OfctlRenderer.renderAll(compiled.flows(), options.pipeline()))
                    .isEqualTo(expected.allowed());
            if (got.allowed()) {
                assertThat(got.matched().get(got.matched().size() - 1).actions())
                        .as("an allowed packet leaves through the CNI's exit table")
                        .containsExactly(FlowAction.Output.NORMAL);
            }
        }
    }

    /** The same packet from an address no pod has (same family): what a spoofing pod would send. */
    private static String forged(Packet p) {
        return p.src().family() == IpFamily.V4 ? "198.18.0.66" : "2001:db8:dead::66";
    }

    private static SimPacket forgeSource(Packet p, IpAddress realV4) {
        String forged = forged(p);
        int proto = p.proto().number();
        assertThat(forged).isNotEqualTo(realV4.toString());
        return SimPacket.ip(forged, p.dst().toString(), proto, p.proto().hasPorts() ? p.dstPort() : -1);
    }
}
