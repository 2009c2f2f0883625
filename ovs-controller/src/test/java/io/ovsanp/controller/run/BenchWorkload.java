package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' cluster (issue 4's workload): 1,000 nodes, 20 pods each, 200 ANPs of 10 rules, a
 * BANP and 10 NetworkPolicies per namespace, and the events LoopBench and PassBench apply to it.
 */
final class BenchWorkload {
    private BenchWorkload() {}

    /** The workload; {@code relabel > 0} moves n7 to zone z2, {@code edit > 0} changes ANP {@code edit - 1}'s CIDRs. */
    static ClusterSnapshot cluster(int nodes, int podsPerNode, int anps, int relabel, int edit) {
        return cluster(nodes, podsPerNode, anps, relabel, edit, false);
    }

    /**
     * As above; with {@code ingress} the policies also have ingress rules, in the shape clusters use them
     * for ("only these clients may reach my port"): each ANP two (Allow from one app's pods of another
     * namespace group on TCP 8080; Deny from every namespace on 8080 and 9090), the BANP one (Deny from
     * every namespace on TCP 22), and each NetworkPolicy one, isolating its pods for ingress (from its
     * namespace group's pods on 8080).
     */
    static ClusterSnapshot cluster(int nodes, int podsPerNode, int anps, int relabel, int edit, boolean ingress) {
        List<NodeInfo> ns = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            String zone = "z" + ((i == 7 && relabel > 0) ? 2 : i % 20);
            ns.add(new NodeInfo(
                    "n" + i,
                    Map.of("zone", zone, "kubernetes.io/hostname", "n" + i),
                    List.of(IpAddress.parse("172.16." + (i / 250) + "." + (i % 250 + 1)))));
        }
        List<NamespaceInfo> namespaces = new ArrayList<>();
        for (int j = 0; j < 100; j++) namespaces.add(new NamespaceInfo("ns" + j, Map.of("group", "g" + (j % 20))));
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            for (int k = 0; k < podsPerNode; k++) {
                int x = i * podsPerNode + k;
                // a node's pods share one namespace: ANP subjects (by namespace group) cover 1/20 of the nodes
                pods.add(pod("ns" + (i % 100), "p" + x, "n" + i, x, "a" + (x % 50)));
            }
        }
        List<AdminPolicy> policies = new ArrayList<>();
        for (int a = 0; a < anps; a++) {
            List<Rule> rules = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                int id = a * 10 + r;
                Peer peer;
                List<PortMatch> ports;
                if (r % 3 == 0) {
                    List<String> cidrs = new ArrayList<>();
                    int salt = (edit > 0 && a == edit - 1) ? 1 : 0;
                    for (int c = 0; c < 25; c++) {
                        int y = id * 25 + c + salt * 7919;
                        cidrs.add((100 + (y >> 16) % 100) + "." + ((y >> 8) & 0xff) + "." + (y & 0xff) + ".0/24");
                    }
                    peer = new Peer.Networks(cidrs);
                    ports = List.of(tcp(443), tcp(80), tcp(8443));
                } else if (r % 3 == 1) {
                    peer = new Peer.Pods(sel("group", "g" + (id % 20)), sel("app", "a" + (id % 50)));
                    ports = List.of(tcp(5432));
                } else {
                    peer = new Peer.Nodes(sel("zone", "z" + (id % 20)));
                    ports = List.of(tcp(10250), tcp(22));
                }
                rules.add(new Rule(r, "r" + r, r % 2 == 0 ? Action.DENY : Action.ALLOW, List.of(peer), ports));
            }
            List<Rule> in = !ingress
                    ? List.of()
                    : List.of(
                            new Rule(
                                    0,
                                    "from-clients",
                                    Action.ALLOW,
                                    List.of(new Peer.Pods(
                                            sel("group", "g" + ((a + 1) % 20)), sel("app", "a" + (a % 50)))),
                                    List.of(tcp(8080))),
                            new Rule(
                                    1,
                                    "rest",
                                    Action.DENY,
                                    List.of(new Peer.Namespaces(LabelSelector.ALL)),
                                    List.of(tcp(8080), tcp(9090))));
            policies.add(new AdminPolicy(
                    new ObjectRef("AdminNetworkPolicy", "", "anp" + a, "uid-" + a, SourceRef.NONE),
                    Tier.ADMIN,
                    a % 1000,
                    new Subject(sel("group", "g" + (a % 20)), LabelSelector.ALL),
                    rules,
                    in,
                    List.of()));
        }
        // The baseline: pods may reach the cluster's pods and DNS, nothing else outside.
        policies.add(new AdminPolicy(
                new ObjectRef("BaselineAdminNetworkPolicy", "", "default", "uid-banp", SourceRef.NONE),
                Tier.BASELINE,
                0,
                new Subject(LabelSelector.ALL, LabelSelector.ALL),
                List.of(
                        new Rule(
                                0,
                                "dns",
                                Action.ALLOW,
                                List.of(new Peer.Networks(List.of("10.96.0.10/32"))),
                                List.of(new PortMatch.Number(Protocol.UDP, 53))),
                        new Rule(1, "pods", Action.ALLOW, List.of(new Peer.Networks(List.of("10.0.0.0/8"))), List.of()),
                        new Rule(2, "rest", Action.DENY, List.of(new Peer.Networks(List.of("0.0.0.0/0"))), List.of())),
                !ingress
                        ? List.of()
                        : List.of(new Rule(
                                0,
                                "no-ssh",
                                Action.DENY,
                                List.of(new Peer.Namespaces(LabelSelector.ALL)),
                                List.of(tcp(22)))),
                List.of()));
        // 10 NetworkPolicies per namespace: pods of one app may reach their namespace group's pods on
        // 8080 and one external /16.
        List<NetworkPolicy> nps = new ArrayList<>();
        for (int j = 0; j < 100; j++) {
            for (int k = 0; k < 10; k++) {
                nps.add(new NetworkPolicy(
                        new ObjectRef("NetworkPolicy", "ns" + j, "np" + k, "uid-np-" + j + "-" + k, SourceRef.NONE),
                        sel("app", "a" + ((j + k * 5) % 50)),
                        true,
                        List.of(new Rule(
                                0,
                                "",
                                Action.ALLOW,
                                List.of(
                                        new Peer.Pods(sel("group", "g" + (j % 20)), LabelSelector.ALL),
                                        new Peer.IpBlock("192.168." + k + ".0/24", List.of())),
                                List.of(tcp(8080)))),
                        ingress,
                        !ingress
                                ? List.of()
                                : List.of(new Rule(
                                        0,
                                        "",
                                        Action.ALLOW,
                                        List.of(new Peer.Pods(sel("group", "g" + (j % 20)), LabelSelector.ALL)),
                                        List.of(tcp(8080)))),
                        List.of()));
            }
        }
        return new ClusterSnapshot(namespaces, pods, ns, List.of(), List.of(), policies, nps, List.of());
    }

    private static PodInfo pod(String ns, String name, String node, int x, String app) {
        return new PodInfo(
                ns,
                name,
                node,
                false,
                List.of(IpAddress.parse("10." + (x >> 16 & 0xff) + "." + (x >> 8 & 0xff) + "." + (x & 0xff))),
                Map.of("app", app),
                List.of());
    }

    static ClusterSnapshot withExtraPod(ClusterSnapshot s) {
        List<PodInfo> pods = new ArrayList<>(s.pods());
        // picked by the pod selections of rules 1, 101, ... (ANPs 0, 10, 20, ...: subjects in g0 and g10)
        pods.add(pod("ns1", "new-pod", "n3", 0xfff0f0, "a1"));
        return s.withPods(pods);
    }

    /** A pod on {@code node} like its first one (same namespace and labels): a subject of the same rules. */
    static ClusterSnapshot withLocalPod(ClusterSnapshot s, String node) {
        PodInfo like = s.pods().stream()
                .filter(p -> p.nodeName().equals(node))
                .findFirst()
                .orElseThrow();
        List<PodInfo> pods = new ArrayList<>(s.pods());
        pods.add(new PodInfo(
                like.namespace(),
                "local-pod",
                node,
                false,
                List.of(IpAddress.parse("10.255.241.241")),
                like.labels(),
                List.of()));
        return s.withPods(pods);
    }

    private static LabelSelector sel(String k, String v) {
        return new LabelSelector(Map.of(k, v), List.of());
    }

    private static PortMatch tcp(int port) {
        return new PortMatch.Number(Protocol.TCP, port);
    }
}
