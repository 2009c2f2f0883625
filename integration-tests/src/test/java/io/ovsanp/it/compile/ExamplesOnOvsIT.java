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

    /**
     * The ports a probe uses: every port the example's rules name (numbers, both ends and an inside
     * value of ranges, the container ports named ports resolve to, by protocol), the Service ports, and
     * TCP 31000 and UDP 53 as ports most rules do not name; ICMP besides. A story's verdicts change only
     * at ports its rules name, so these are the ports that can tell a wrong flow from a right one.
     */
    static java.util.SortedSet<String> ports(ClusterSnapshot s) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>(List.of("TCP:31000", "UDP:53"));
        List<io.ovsanp.compiler.policy.Rule> rules = new ArrayList<>();
        for (io.ovsanp.compiler.policy.AdminPolicy p : s.adminPolicies()) {
            rules.addAll(p.egress());
            rules.addAll(p.ingress());
        }
        for (io.ovsanp.compiler.policy.NetworkPolicy np : s.networkPolicies()) {
            rules.addAll(np.egress());
            rules.addAll(np.ingress());
        }
        for (io.ovsanp.compiler.policy.Rule r : rules) {
            for (io.ovsanp.compiler.policy.PortMatch m : r.ports()) {
                if (m instanceof io.ovsanp.compiler.policy.PortMatch.Number n) {
                    out.add(n.protocol() + ":" + n.port());
                } else if (m instanceof io.ovsanp.compiler.policy.PortMatch.Range g) {
                    out.add(g.protocol() + ":" + g.start());
                    out.add(g.protocol() + ":" + g.end());
                    out.add(g.protocol() + ":" + (g.start() + (g.end() - g.start()) / 2));
                } else if (m instanceof io.ovsanp.compiler.policy.PortMatch.Named named) {
                    for (PodInfo pod : s.pods()) {
                        pod.ports().stream()
                                .filter(cp -> cp.name().equals(named.name()))
                                .forEach(cp -> out.add(cp.protocol() + ":" + cp.port()));
                    }
                } else if (m instanceof io.ovsanp.compiler.policy.PortMatch.AnyPort a) {
                    out.add(a.protocol() + ":31000");
                }
            }
        }
        for (ServiceInfo svc : s.services()) {
            svc.ports().forEach(sp -> out.add(sp.protocol() + ":" + sp.port()));
        }
        return out;
    }

    static List<Packet> probes(ClusterSnapshot s, String node) {
        java.util.SortedSet<String> ports = ports(s);
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
                    for (String port : ports) {
                        String[] pp = port.split(":");
                        out.add(Packet.of(from, to, Protocol.valueOf(pp[0]), Integer.parseInt(pp[1])));
                    }
                    out.add(Packet.icmp(from, to));
                }
            }
        }
        return out;
    }
}
