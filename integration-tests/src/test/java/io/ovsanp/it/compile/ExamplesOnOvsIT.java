package io.ovsanp.it.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.it.ovs.NodePipeline;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.TraceVerdict;
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
 * Every example in {@code examples/}, compiled for every node, loaded into a real ovs-vswitchd and
 * probed with {@code ofproto/trace}: OVS must give the reference evaluator's verdict for every pod on
 * the node towards every pod, node, Service ClusterIP and external address, and from every other pod,
 * node and external address towards the node's pods, on the ports the stories are about. A node judges
 * the egress side of its own pods and the ingress side of connections to its own pods, so the verdict
 * expected of one node's pipeline is the evaluator's egress verdict when the source is one of its pods,
 * and its ingress verdict when the destination is; an example whose {@code ovs-anp.args} says {@code
 * --service-vips pre-dnat} is compiled and evaluated in that mode.
 */
class ExamplesOnOvsIT {
    static final List<String> EXTERNAL =
            List.of("203.0.113.10", "10.10.0.5", "198.51.100.53", "192.0.2.100", "8.8.8.8", "2001:db8::5");

    private static PrivateOvs ovs;
    private static Bridge bridge;

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
            bridge = ovs.addBridge("br-int");
        }
    }

    @AfterAll
    static void stopOvs() {
        if (ovs != null) ovs.close();
        ovs = null;
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
        for (String node : snapshot.nodeNames()) {
            NodePipeline.load(bridge, snapshot, policies, node, options);
            for (Packet p : probes(snapshot, node)) {
                boolean fromHere = isLocalPod(snapshot, node, p.src());
                boolean toHere = isLocalPod(snapshot, node, p.dst());
                Verdict egress = evaluator.evaluate(p);
                Verdict ingress = evaluator.evaluateIngress(p);
                boolean allowed = (!fromHere || egress.allowed()) && (!toHere || ingress.allowed());
                TraceVerdict got = NodePipeline.trace(bridge, p);
                assertThat(!got.dropped())
                        .as(
                                "%s on node %s: %s (judged here: %s%s)%negress: %s%ningress: %s%n%s%nflows:%n%s",
                                example.getFileName(),
                                node,
                                p,
                                fromHere ? "egress " : "",
                                toHere ? "ingress" : "",
                                egress.explain(),
                                ingress.explain(),
                                got.trace(),
                                bridge.describe())
                        .isEqualTo(allowed);
                checked++;
                if (fromHere && egress.serviceVip().isPresent()) viaClusterIp++;
            }
        }
        assertThat(checked).isGreaterThan(0);
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

    /** Whether {@code ip} is an address of a pod (not host-network) that runs on {@code node}. */
    static boolean isLocalPod(ClusterSnapshot s, String node, IpAddress ip) {
        return s.pods().stream()
                .anyMatch(p ->
                        p.nodeName().equals(node) && !p.hostNetwork() && p.ips().contains(ip));
    }

    static List<Packet> probes(ClusterSnapshot s, String node) {
        List<IpAddress> addresses = new ArrayList<>();
        s.pods().forEach(p -> addresses.addAll(p.ips()));
        for (NodeInfo n : s.nodes()) addresses.addAll(n.addresses());
        EXTERNAL.forEach(e -> addresses.add(IpAddress.parse(e)));
        List<IpAddress> dsts = new ArrayList<>(addresses);
        // ClusterIPs: plain addresses without pre-DNAT, mapped to their endpoints with it.
        for (ServiceInfo svc : s.services()) dsts.addAll(svc.clusterIps());
        List<IpAddress> local = addresses.stream()
                .distinct()
                .filter(a -> isLocalPod(s, node, a))
                .toList();
        List<Packet> out = new ArrayList<>();
        // The node's pods to everything (their egress side, and the ingress side of local destinations).
        for (IpAddress from : local) {
            for (IpAddress to : dsts.stream().distinct().toList()) {
                if (to.family() == from.family() && !to.equals(from)) addPorts(out, from, to);
            }
        }
        // Everything else to the node's pods (their ingress side: other nodes' pods, nodes, the outside).
        for (IpAddress from : addresses.stream().distinct().toList()) {
            if (local.contains(from)) continue;
            for (IpAddress to : local) {
                if (to.family() == from.family()) addPorts(out, from, to);
            }
        }
        return out;
    }

    private static void addPorts(List<Packet> out, IpAddress from, IpAddress to) {
        out.add(Packet.of(from, to, Protocol.TCP, 6443));
        out.add(Packet.of(from, to, Protocol.TCP, 443));
        out.add(Packet.of(from, to, Protocol.TCP, 10250));
        out.add(Packet.of(from, to, Protocol.TCP, 31000));
        out.add(Packet.of(from, to, Protocol.UDP, 53));
        out.add(Packet.of(from, to, Protocol.TCP, 8080));
        out.add(Packet.of(from, to, Protocol.TCP, 5432));
        out.add(Packet.of(from, to, Protocol.TCP, 9090));
        out.add(Packet.icmp(from, to));
    }
}
