package io.ovsanp.it.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.eval.ConnectionVerdict;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.it.ovs.NodeBridges;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in {@code examples/}, compiled for every node, loaded into a real ovs-vswitchd (one
 * bridge per node) and probed with {@code ofproto/trace}: for every pod towards every pod, node,
 * Service ClusterIP and external address, on the ports the stories are about, the connection is traced
 * on every pipeline it crosses (the source pod's node, and the destination pod's node when that is
 * another), and it passes only when each of them outputs it; that must be the reference evaluator's
 * combined verdict ({@link Evaluator#evaluateConnection}). An example whose {@code ovs-anp.args} says
 * {@code --service-vips pre-dnat} is compiled and evaluated in that mode.
 */
class ExamplesOnOvsIT {
    static final List<String> EXTERNAL =
            List.of("203.0.113.10", "10.10.0.5", "198.51.100.53", "192.0.2.100", "8.8.8.8", "2001:db8::5");

    private static PrivateOvs ovs;
    private static NodeBridges nodes;

    static Path repo() {
        return Path.of(System.getProperty("ovsanp.repo", "..")).toAbsolutePath().normalize();
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(repo().resolve("examples"))) {
            return s
                    .filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("_"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @BeforeEach
    void startOvs() {
        Needs.ovs();
        if (ovs == null) {
            ovs = PrivateOvs.start();
            nodes = new NodeBridges(ovs);
        }
    }

    @AfterAll
    static void stopOvs() {
        if (ovs != null) ovs.close();
        ovs = null;
        nodes = null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void ovsAgreesWithTheEvaluatorOnEveryNode(Path example) throws Exception {
        ClusterSnapshot snapshot = SnapshotLoader.load(List.of(example));
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        ServiceVips vips = serviceVips(example);
        CompileOptions options = CompileOptions.DEFAULT.withServiceVips(vips);
        Evaluator evaluator = new Evaluator(snapshot, policies, vips);
        int checked = 0;
        int viaClusterIp = 0;
        int crossNode = 0;
        nodes.use(snapshot, policies, options);
        for (String node : snapshot.nodeNames()) {
            for (Packet p : probes(snapshot, node)) {
                ConnectionVerdict expected = evaluator.evaluateConnection(p);
                NodeBridges.Crossing got = nodes.trace(evaluator, p, node);
                if (got.allowed() != expected.allowed()) {
                    assertThat(got.allowed())
                            .as(
                                    "%s on nodes %s: %s%nevaluator: %s%negress: %s%ningress: %s%n%s",
                                    example.getFileName(),
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
                if (expected.egress().serviceVip().isPresent()) viaClusterIp++;
            }
        }
        assertThat(checked).isGreaterThan(0);
        if (snapshot.pods().stream()
                        .filter(pod -> !pod.hostNetwork())
                        .map(PodInfo::nodeName)
                        .distinct()
                        .count()
                > 1) {
            assertThat(crossNode).as("connections traced on two nodes").isPositive();
        }
        if (vips.enabled()) {
            assertThat(viaClusterIp)
                    .as("verdicts decided through the pre-DNAT mapping")
                    .isGreaterThan(0);
        }
    }

    /** {@code --service-vips} from the example's {@code ovs-anp.args} (the story's extra arguments). */
    static ServiceVips serviceVips(Path example) throws IOException {
        Path args = example.resolve("ovs-anp.args");
        if (!Files.exists(args)) return ServiceVips.NONE;
        List<String> words = List.of(Files.readString(args).trim().split("\\s+"));
        int i = words.indexOf("--service-vips");
        return i < 0 || i + 1 >= words.size()
                ? ServiceVips.NONE
                : ServiceVips.parse(words.get(i + 1)).orElseThrow();
    }

    static List<Packet> probes(ClusterSnapshot s, String node) {
        List<IpAddress> dsts = new ArrayList<>();
        s.pods().forEach(p -> dsts.addAll(p.ips()));
        for (NodeInfo n : s.nodes()) dsts.addAll(n.addresses());
        // ClusterIPs: plain addresses without pre-DNAT, mapped to their endpoints with it.
        for (ServiceInfo svc : s.services()) dsts.addAll(svc.clusterIps());
        EXTERNAL.forEach(e -> dsts.add(IpAddress.parse(e)));
        List<Packet> out = new ArrayList<>();
        for (PodInfo src : s.pods()) {
            if (!src.nodeName().equals(node) || src.hostNetwork()) continue;
            for (IpAddress from : src.ips()) {
                for (IpAddress to : dsts.stream().distinct().toList()) {
                    if (to.family() != from.family() || to.equals(from)) continue;
                    out.add(Packet.of(from, to, Protocol.TCP, 6443));
                    out.add(Packet.of(from, to, Protocol.TCP, 443));
                    out.add(Packet.of(from, to, Protocol.TCP, 10250));
                    out.add(Packet.of(from, to, Protocol.TCP, 31000));
                    out.add(Packet.of(from, to, Protocol.UDP, 53));
                    out.add(Packet.of(from, to, Protocol.TCP, 8080));
                    out.add(Packet.icmp(from, to));
                }
            }
        }
        return out;
    }
}
