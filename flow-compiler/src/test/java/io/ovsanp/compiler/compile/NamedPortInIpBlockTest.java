package io.ovsanp.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.Simulator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A NetworkPolicy named port with an {@code ipBlock} peer resolves against the pods inside the block
 * (as the reference evaluator reads it), and only on their addresses inside it. The compiler once
 * resolved it against no pod at all, so such a rule matched nothing: found by
 * CompiledFlowsAgreeWithEvaluatorProperties (seed 7520).
 */
class NamedPortInIpBlockTest {
    private static final ContainerPort HTTP = new ContainerPort("http", Protocol.TCP, 8080);

    private static PodInfo pod(String name, String... ips) {
        return new PodInfo(
                "ns",
                name,
                "n1",
                false,
                List.of(ips).stream().map(IpAddress::parse).toList(),
                Map.of(),
                List.of(HTTP));
    }

    @Test
    void aNamedPortReachesThePodsInsideTheBlockOnTheirAddressesInsideIt() {
        PodInfo client = pod("client", "10.244.1.2", "fd00::2");
        PodInfo inside = pod("inside", "10.244.2.5", "fd00::5");
        PodInfo except = pod("except", "10.244.3.7");
        PodInfo outside = pod("outside", "10.245.0.9");
        NetworkPolicy np = new NetworkPolicy(
                new ObjectRef("NetworkPolicy", "ns", "np", "", SourceRef.NONE),
                LabelSelector.ALL,
                true,
                List.of(new Rule(
                        0,
                        "",
                        Action.ALLOW,
                        // The block covers inside's IPv4 address only, and excepts except's.
                        List.of(new Peer.IpBlock("10.244.0.0/16", List.of("10.244.3.0/24"))),
                        List.of(new PortMatch.Named("http", Optional.of(Protocol.TCP))))),
                List.of());
        ClusterSnapshot snapshot = new ClusterSnapshot(
                List.of(),
                List.of(client, inside, except, outside),
                List.of(new NodeInfo("n1", Map.of(), List.of(IpAddress.parse("172.18.0.1")))),
                List.of(),
                List.of(),
                List.of(),
                List.of(np),
                List.of());
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        CompileResult r = Compiler.compile(snapshot, policies, "n1", Allocation.EMPTY, CompileOptions.DEFAULT);
        Simulator sim = new Simulator(r.flows());
        Evaluator evaluator = new Evaluator(snapshot, policies);

        record Case(String src, String dst, int port, boolean allowed) {}
        for (Case c : List.of(
                new Case("10.244.1.2", "10.244.2.5", 8080, true),
                new Case("10.244.1.2", "10.244.2.5", 80, false),
                new Case("fd00::2", "fd00::5", 8080, false),
                new Case("10.244.1.2", "10.244.3.7", 8080, false),
                new Case("10.244.1.2", "10.245.0.9", 8080, false))) {
            boolean got = sim.run(SimPacket.tcp(c.src(), c.dst(), c.port()), TableId.of(0))
                    .allowed();
            assertThat(got).as("%s", c).isEqualTo(c.allowed());
            assertThat(evaluator
                            .evaluate(Packet.tcp(IpAddress.parse(c.src()), IpAddress.parse(c.dst()), c.port()))
                            .allowed())
                    .as("evaluator: %s", c)
                    .isEqualTo(c.allowed());
        }
        assertThat(r.diagnostics()).noneMatch(d -> d.message().contains("resolve to no destination pod"));
    }
}
