package io.ovsanp.compiler.property;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.diag.Diagnostic;
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
import java.util.Optional;
import java.util.Random;

/**
 * Random clusters for differential tests: 3 nodes (one dual-stack), up to ~20 pods on them (some
 * host-network, some dual-stack, some with named ports), and random ANPs (few priorities, so ties
 * happen), a BANP, ClusterNetworkPolicies of both tiers and NetworkPolicies, with overlapping CIDRs, port ranges, Pass, named ports and,
 * now and then, invalid input that must be realised fail-closed; usually the Service
 * {@code default/kubernetes} (ClusterIP 10.96.0.1, sometimes dual-stack) and a Service {@code ns0/web},
 * with EndpointSlices on node, pod and external addresses, for pre-DNAT mode. Driven by a seed so that
 * jqwik can shrink and replay.
 */
public final class RandomClusters {
    static final String[] APPS = {"a", "b", "c"};
    static final String[] EXTERNAL = {"203.0.113.10", "10.10.0.5", "198.51.100.53", "8.8.8.8", "2001:db8::5"};
    static final int[] PORTS = {22, 53, 80, 443, 1500, 8050, 8080};

    private final Random r;

    static final List<String> DOMAIN_PATTERNS =
            List.of("*.internet.example", "internet.example", "intranet.example", "*.example");

    /** Answers a pod may have seen: name and addresses (external ones, and a pod's). */
    private static final List<Map.Entry<String, List<String>>> ANSWERS = List.of(
            Map.entry("www.internet.example", List.of("203.0.113.10", "2001:db8::5")),
            Map.entry("internet.example", List.of("203.0.113.10")),
            Map.entry("intranet.example", List.of("10.10.0.5")),
            Map.entry("dns.example", List.of("198.51.100.53", "8.8.8.8")),
            Map.entry("pod.example", List.of("10.244.1.11")));

    /**
     * What some of the snapshot's pods learned from DNS ({@code domainNames} peers): each pod with
     * probability 1/2 has seen one to three answers (at one of its addresses).
     */
    public io.ovsanp.compiler.dns.ResolverStates resolved(ClusterSnapshot s) {
        Map<IpAddress, io.ovsanp.compiler.dns.ResolverState> by = new java.util.HashMap<>();
        for (io.ovsanp.compiler.cluster.PodInfo pod : s.pods()) {
            if (pod.ips().isEmpty() || !chance(0.5)) continue;
            IpAddress at = pick(pod.ips());
            io.ovsanp.compiler.dns.ResolverState st = by.getOrDefault(at, io.ovsanp.compiler.dns.ResolverState.EMPTY);
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                Map.Entry<String, List<String>> a = pick(ANSWERS);
                st = st.with(
                        a.getKey(), a.getValue().stream().map(IpAddress::parse).toList());
            }
            by.put(at, st);
        }
        return io.ovsanp.compiler.dns.ResolverStates.of(by);
    }

    public RandomClusters(long seed) {
        this.r = new Random(seed);
    }

    private <T> T pick(List<T> xs) {
        return xs.get(r.nextInt(xs.size()));
    }

    private boolean chance(double p) {
        return r.nextDouble() < p;
    }

    public ClusterSnapshot cluster() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<IpAddress> addrs = new ArrayList<>(List.of(IpAddress.parse("172.18.0." + (10 + i))));
            if (i == 1) addrs.add(IpAddress.parse("fd00:18::" + (10 + i)));
            nodes.add(
                    new NodeInfo("n" + i, Map.of("zone", i == 0 ? "a" : "b", "role", i == 0 ? "cp" : "worker"), addrs));
        }
        List<NamespaceInfo> namespaces = List.of(
                new NamespaceInfo("ns0", Map.of("team", "x")),
                new NamespaceInfo("ns1", Map.of("team", "y")),
                new NamespaceInfo("ns2", Map.of("team", "x", "env", "prod")));
        List<PodInfo> pods = new ArrayList<>();
        int n = 2 + r.nextInt(19);
        for (int k = 0; k < n; k++) {
            int node = r.nextInt(3);
            String ns = "ns" + r.nextInt(3);
            boolean host = chance(0.1);
            List<IpAddress> ips = new ArrayList<>();
            if (host) {
                ips.addAll(nodes.get(node).addresses());
            } else {
                ips.add(IpAddress.parse("10.244." + node + "." + (k + 2)));
                if (chance(0.3)) ips.add(IpAddress.parse("fd00:244:" + node + "::" + (k + 2)));
            }
            List<ContainerPort> ports = new ArrayList<>();
            if (chance(0.5)) ports.add(new ContainerPort("http", Protocol.TCP, chance(0.5) ? 80 : 8080));
            if (chance(0.3)) ports.add(new ContainerPort("dns", Protocol.UDP, 53));
            if (chance(0.2)) ports.add(new ContainerPort("dns", Protocol.TCP, 53));
            pods.add(new PodInfo(ns, "p" + k, "n" + node, host, ips, Map.of("app", APPS[r.nextInt(3)]), ports));
        }
        List<AdminPolicy> admin = new ArrayList<>();
        int anps = r.nextInt(5);
        for (int i = 0; i < anps; i++) {
            int prio = pick(List.of(1, 2, 3, 5, 5, 1001));
            admin.add(new AdminPolicy(
                    new ObjectRef(Tier.ADMIN.kind(), "", "anp" + i, "u" + i, SourceRef.NONE),
                    Tier.ADMIN,
                    prio,
                    subject(),
                    rules(1 + r.nextInt(4), true),
                    List.of(),
                    List.of()));
        }
        if (chance(0.6)) {
            String name = chance(0.9) ? "default" : "other";
            admin.add(new AdminPolicy(
                    new ObjectRef(Tier.BASELINE.kind(), "", name, "", SourceRef.NONE),
                    Tier.BASELINE,
                    0,
                    subject(),
                    rules(1 + r.nextInt(3), false),
                    List.of(),
                    List.of()));
        }
        List<NetworkPolicy> nps = new ArrayList<>();
        int npCount = r.nextInt(4);
        for (int i = 0; i < npCount; i++) {
            String ns = "ns" + r.nextInt(3);
            List<Rule> rules = new ArrayList<>();
            int rc = r.nextInt(3);
            for (int j = 0; j < rc; j++) {
                rules.add(new Rule(j, "", Action.ALLOW, npPeers(ns), ports(true, true)));
            }
            nps.add(new NetworkPolicy(
                    new ObjectRef("NetworkPolicy", ns, "np" + i, "", SourceRef.NONE),
                    selector(),
                    chance(0.85),
                    rules,
                    List.of()));
        }
        List<ServiceInfo> services = new ArrayList<>();
        List<EndpointSliceInfo> slices = new ArrayList<>();
        if (chance(0.85)) services(nodes, pods, services, slices);
        clusterNetworkPolicies(admin);
        withIngress(admin, nps);
        return new ClusterSnapshot(namespaces, pods, nodes, services, slices, admin, nps, List.of());
    }

    /**
     * Ingress rules for about half of the admin policies (ANPs, BANPs, CNPs of both tiers) and of the
     * NetworkPolicies, now and then an invalid one (a networks peer, Pass in a BANP, an unsupported
     * peer). NetworkPolicies get their policyTypes drawn: ingress isolation with or without rules.
     * Drawn last, so the egress half of a seed's cluster is what it was before ingress was added.
     */
    private void withIngress(List<AdminPolicy> admin, List<NetworkPolicy> nps) {
        for (int i = 0; i < admin.size(); i++) {
            AdminPolicy p = admin.get(i);
            if (!chance(0.5)) continue;
            boolean canPass = p.tier() == Tier.ADMIN || p.isClusterNetworkPolicy();
            admin.set(
                    i,
                    new AdminPolicy(
                            p.ref(),
                            p.tier(),
                            p.priority(),
                            p.subject(),
                            p.egress(),
                            ingressRules(1 + r.nextInt(3), canPass),
                            p.readProblems()));
        }
        for (int i = 0; i < nps.size(); i++) {
            NetworkPolicy np = nps.get(i);
            if (!chance(0.6)) continue;
            List<Rule> rules = new ArrayList<>();
            int rc = r.nextInt(3);
            for (int j = 0; j < rc; j++) {
                rules.add(new Rule(j, "", Action.ALLOW, npPeers(np.namespace()), ports(true, true)));
            }
            nps.set(
                    i,
                    new NetworkPolicy(
                            np.ref(), np.podSelector(), np.isolatesEgress(), np.egress(), true, rules, List.of()));
        }
    }

    private List<Rule> ingressRules(int count, boolean canPass) {
        List<Rule> out = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            Action a = canPass
                    ? pick(List.of(Action.ALLOW, Action.DENY, Action.PASS))
                    : pick(List.of(Action.ALLOW, Action.DENY));
            if (!canPass && chance(0.05)) a = Action.PASS; // invalid in a BANP: fail-closed
            List<Peer> peers = new ArrayList<>();
            int pc = 1 + r.nextInt(2);
            for (int k = 0; k < pc; k++) {
                peers.add(chance(0.5) ? new Peer.Namespaces(nsSelector()) : new Peer.Pods(nsSelector(), selector()));
            }
            if (chance(0.04)) peers.add(new Peer.Networks(List.of("10.0.0.0/8"))); // not an ingress peer
            if (chance(0.03)) peers.add(new Peer.Unsupported("services"));
            out.add(new Rule(j, "in" + j, a, peers, ports(true, false)));
        }
        return out;
    }

    /** A service-VIP mode for a differential run: none, pre-DNAT (apiserver) or pre-DNAT for every Service. */
    public ServiceVips serviceVips() {
        return pick(List.of(
                ServiceVips.NONE,
                ServiceVips.PRE_DNAT,
                ServiceVips.PRE_DNAT,
                new ServiceVips(ServiceVips.Mode.PRE_DNAT, true)));
    }

    /**
     * default/kubernetes (https 443 → 6443, or now and then 8080/443, and sometimes a UDP port) and
     * ns0/web (http 80 → the pods' named port), each with up to four endpoints split over one slice
     * per family; a slice port is now and then misnamed (kube-proxy would not use it).
     */
    private void services(
            List<NodeInfo> nodes, List<PodInfo> pods, List<ServiceInfo> services, List<EndpointSliceInfo> slices) {
        List<IpAddress> candidates = new ArrayList<>();
        nodes.forEach(n -> candidates.addAll(n.addresses()));
        pods.stream().filter(p -> !p.hostNetwork()).forEach(p -> candidates.addAll(p.ips()));
        candidates.add(IpAddress.parse("203.0.113.10"));
        candidates.add(IpAddress.parse("2001:db8::5"));
        List<IpAddress> vips = new ArrayList<>(List.of(IpAddress.parse("10.96.0.1")));
        if (chance(0.4)) vips.add(IpAddress.parse("fd00:96::1"));
        List<ServiceInfo.ServicePort> ports = new ArrayList<>();
        int svcPort = chance(0.8) ? 443 : 80;
        int epPort = pick(List.of(6443, 8080, 8080, 443, 22));
        ports.add(new ServiceInfo.ServicePort("https", Protocol.TCP, svcPort, String.valueOf(epPort)));
        List<EndpointSliceInfo.EndpointPort> epPorts = new ArrayList<>();
        epPorts.add(new EndpointSliceInfo.EndpointPort(chance(0.9) ? "https" : "other", Protocol.TCP, epPort));
        if (chance(0.3)) {
            ports.add(new ServiceInfo.ServicePort("dns", Protocol.UDP, 53, "dns"));
            epPorts.add(new EndpointSliceInfo.EndpointPort("dns", Protocol.UDP, pick(List.of(53, 1500))));
        }
        services.add(new ServiceInfo("default", "kubernetes", vips, ports));
        slices(
                "default",
                "kubernetes",
                pickSome(candidates, chance(0.1) ? 0 : 1 + r.nextInt(chance(0.6) ? 1 : 4)),
                epPorts,
                slices);
        if (chance(0.5)) {
            services.add(new ServiceInfo(
                    "ns0",
                    "web",
                    List.of(IpAddress.parse("10.96.0.20")),
                    List.of(new ServiceInfo.ServicePort("http", Protocol.TCP, 80, "http"))));
            slices(
                    "ns0",
                    "web",
                    pickSome(candidates, 1 + r.nextInt(3)),
                    List.of(new EndpointSliceInfo.EndpointPort("http", Protocol.TCP, pick(List.of(80, 8080)))),
                    slices);
        }
    }

    private List<IpAddress> pickSome(List<IpAddress> from, int n) {
        java.util.LinkedHashSet<IpAddress> out = new java.util.LinkedHashSet<>();
        for (int i = 0; i < n; i++) out.add(pick(from));
        return new ArrayList<>(out);
    }

    private static void slices(
            String ns,
            String svc,
            List<IpAddress> endpoints,
            List<EndpointSliceInfo.EndpointPort> ports,
            List<EndpointSliceInfo> out) {
        for (io.ovsanp.compiler.net.IpFamily f : io.ovsanp.compiler.net.IpFamily.values()) {
            List<IpAddress> of =
                    endpoints.stream().filter(ip -> ip.family() == f).toList();
            if (!of.isEmpty()) {
                out.add(new EndpointSliceInfo(
                        ns, svc + "-" + f.name().toLowerCase(java.util.Locale.ROOT), svc, of, ports));
            }
        }
    }

    private LabelSelector selector() {
        switch (r.nextInt(6)) {
            case 0:
            case 1:
                return LabelSelector.ALL;
            case 2:
                return LabelSelector.of(Map.of("app", APPS[r.nextInt(3)]));
            case 3:
                return new LabelSelector(
                        Map.of(),
                        List.of(new LabelSelector.Requirement("app", LabelSelector.Operator.IN, List.of("a", "b"))));
            case 4:
                return new LabelSelector(
                        Map.of(),
                        List.of(new LabelSelector.Requirement("app", LabelSelector.Operator.NOT_IN, List.of("c"))));
            default:
                return new LabelSelector(
                        Map.of(),
                        List.of(new LabelSelector.Requirement(
                                "env",
                                chance(0.5) ? LabelSelector.Operator.EXISTS : LabelSelector.Operator.DOES_NOT_EXIST,
                                List.of())));
        }
    }

    private LabelSelector nsSelector() {
        switch (r.nextInt(4)) {
            case 0:
            case 1:
                return LabelSelector.ALL;
            case 2:
                return LabelSelector.of(Map.of("team", chance(0.5) ? "x" : "y"));
            default:
                return LabelSelector.of(Map.of(NamespaceInfo.NAME_LABEL, "ns" + r.nextInt(3)));
        }
    }

    /**
     * v1alpha2 ClusterNetworkPolicies beside the ANPs and BANP (mixed API versions): both tiers, Pass
     * in both, priorities that tie with ANPs, now and then the name of an ANP (another object: the
     * kind differs) or an unreadable tier (invalid, Admin tier, priority 0). Drawn after everything
     * else, so the rest of a seed's cluster is what it was before CNPs were added.
     */
    private void clusterNetworkPolicies(List<AdminPolicy> out) {
        int cnps = r.nextInt(4);
        for (int i = 0; i < cnps; i++) {
            boolean baseline = chance(0.5);
            ObjectRef ref = new ObjectRef(
                    AdminPolicy.CLUSTER_NETWORK_POLICY, "", chance(0.2) ? "anp0" : "cnp" + i, "c" + i, SourceRef.NONE);
            boolean badTier = chance(0.05);
            List<Diagnostic> problems =
                    badTier ? List.of(Diagnostic.error(ref, "spec.tier", "unknown tier \"Middle\"")) : List.of();
            out.add(new AdminPolicy(
                    ref,
                    baseline && !badTier ? Tier.BASELINE : Tier.ADMIN,
                    badTier ? 0 : pick(List.of(0, 1, 2, 3, 5, 5, 1001)),
                    subject(),
                    rules(1 + r.nextInt(4), true),
                    List.of(),
                    problems));
        }
    }

    private Subject subject() {
        return chance(0.5) ? new Subject(nsSelector(), LabelSelector.ALL) : new Subject(nsSelector(), selector());
    }

    private List<Rule> rules(int count, boolean admin) {
        List<Rule> out = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            Action a = admin
                    ? pick(List.of(Action.ALLOW, Action.DENY, Action.PASS))
                    : pick(List.of(Action.ALLOW, Action.DENY));
            if (!admin && chance(0.05)) a = Action.PASS; // invalid in a BANP: fail-closed
            List<Peer> peers = new ArrayList<>();
            int pc = 1 + r.nextInt(2);
            boolean northbound = false;
            for (int k = 0; k < pc; k++) {
                Peer p = peer();
                northbound |= p instanceof Peer.Nodes || p instanceof Peer.Networks;
                peers.add(p);
            }
            if (chance(0.03)) peers.add(new Peer.Unsupported("services"));
            if (a == Action.ALLOW && chance(0.2)) {
                // domainNames: Allow rules only; another action makes the rule invalid (fail-closed)
                peers.add(new Peer.DomainNames(List.of(pick(DOMAIN_PATTERNS))));
                northbound = true;
            } else if (chance(0.01)) {
                peers.add(new Peer.DomainNames(List.of(pick(DOMAIN_PATTERNS))));
            }
            out.add(new Rule(j, "r" + j, a, peers, ports(!northbound || chance(0.05), false)));
        }
        return out;
    }

    private Peer peer() {
        switch (r.nextInt(5)) {
            case 0:
                return new Peer.Namespaces(nsSelector());
            case 1:
                return new Peer.Pods(nsSelector(), selector());
            case 2:
                return new Peer.Nodes(chance(0.5) ? LabelSelector.ALL : LabelSelector.of(Map.of("role", "cp")));
            default:
                List<String> cidrs = new ArrayList<>();
                int c = 1 + r.nextInt(3);
                for (int i = 0; i < c; i++) cidrs.add(cidr());
                return new Peer.Networks(cidrs);
        }
    }

    private String cidr() {
        return pick(List.of(
                "10.244.0.0/16",
                "10.244.1.0/24",
                "10.244." + r.nextInt(3) + "." + (2 + r.nextInt(20)) + "/32",
                "10.244.0.0/23",
                "172.18.0.0/24",
                "172.18.0.11/32",
                "0.0.0.0/0",
                "203.0.113.0/24",
                "10.0.0.0/8",
                "198.51.100.53/32",
                "fd00::/8",
                "::/0",
                "fd00:244:1::/48",
                "2001:db8::/32",
                "10.0.0.0/33",
                "10.244.1.7/16"));
    }

    private List<PortMatch> ports(boolean namedAllowed, boolean np) {
        if (chance(0.45)) return List.of();
        List<PortMatch> out = new ArrayList<>();
        int c = 1 + r.nextInt(3);
        for (int i = 0; i < c; i++) {
            Protocol proto = pick(List.of(Protocol.TCP, Protocol.TCP, Protocol.UDP, Protocol.SCTP));
            switch (r.nextInt(np ? 5 : 4)) {
                case 0:
                    out.add(new PortMatch.Number(proto, PORTS[r.nextInt(PORTS.length)]));
                    break;
                case 1:
                    int start = pick(List.of(1, 53, 79, 443, 1000, 8000));
                    out.add(new PortMatch.Range(proto, start, start + pick(List.of(0, 2, 600, 1200))));
                    break;
                case 2:
                    if (namedAllowed) {
                        Optional<Protocol> named =
                                np ? Optional.of(pick(List.of(Protocol.TCP, Protocol.UDP))) : Optional.empty();
                        out.add(new PortMatch.Named(pick(List.of("http", "dns", "nope")), named));
                    } else {
                        out.add(new PortMatch.Number(proto, 443));
                    }
                    break;
                case 3:
                    out.add(new PortMatch.Number(proto, chance(0.1) ? 0 : 8080));
                    break;
                default:
                    out.add(new PortMatch.AnyPort(proto));
            }
        }
        return out;
    }

    private List<Peer> npPeers(String ns) {
        if (chance(0.3)) return List.of();
        List<Peer> out = new ArrayList<>();
        int c = 1 + r.nextInt(2);
        for (int i = 0; i < c; i++) {
            switch (r.nextInt(4)) {
                case 0:
                    out.add(new Peer.Pods(LabelSelector.of(Map.of(NamespaceInfo.NAME_LABEL, ns)), selector()));
                    break;
                case 1:
                    out.add(new Peer.Namespaces(nsSelector()));
                    break;
                case 2:
                    out.add(new Peer.Pods(nsSelector(), selector()));
                    break;
                default:
                    out.add(new Peer.IpBlock(
                            pick(List.of("10.244.0.0/16", "0.0.0.0/0", "172.18.0.0/24", "::/0")),
                            chance(0.5)
                                    ? List.of()
                                    : List.of(pick(List.of("10.244.1.0/24", "10.244.0.0/20", "172.18.0.10/32")))));
            }
        }
        return out;
    }

    /**
     * Random packets from pods of the cluster (mostly non-host-network ones, now and then a node or
     * host-network address) to pods, nodes and external hosts of the same family, on the ports and
     * protocols the generated rules use.
     */
    public List<io.ovsanp.compiler.eval.Packet> packets(ClusterSnapshot s, int count) {
        List<IpAddress> sources = new ArrayList<>();
        for (PodInfo p : s.pods()) sources.addAll(p.ips());
        if (sources.isEmpty()) return List.of();
        List<IpAddress> dsts = new ArrayList<>();
        for (PodInfo p : s.pods()) dsts.addAll(p.ips());
        for (NodeInfo n : s.nodes()) dsts.addAll(n.addresses());
        for (String e : EXTERNAL) dsts.add(IpAddress.parse(e));
        List<Integer> portEdges = new ArrayList<>();
        List<IpAddress> addressEdges = new ArrayList<>();
        edges(s, portEdges, addressEdges);
        for (ServiceInfo svc : s.services()) {
            // ClusterIPs are edges: packets to them exercise the pre-DNAT mapping.
            addressEdges.addAll(svc.clusterIps());
            addressEdges.addAll(svc.clusterIps());
            svc.ports().forEach(sp -> addPorts(portEdges, sp.port(), sp.port()));
        }
        List<io.ovsanp.compiler.eval.Packet> out = new ArrayList<>();
        for (int i = 0; i < count * 4 && out.size() < count; i++) {
            IpAddress src = pick(sources);
            List<IpAddress> same = dsts.stream()
                    .filter(d -> d.family() == src.family() && !d.equals(src))
                    .toList();
            if (same.isEmpty()) continue;
            List<IpAddress> edges = addressEdges.stream()
                    .filter(d -> d.family() == src.family())
                    .toList();
            List<ServiceInfo> withVip = s.services().stream()
                    .filter(svc -> svc.clusterIps().stream().anyMatch(ip -> ip.family() == src.family()))
                    .toList();
            if (!withVip.isEmpty() && chance(0.2)) {
                // A connection to a Service as a client makes it: ClusterIP and service port.
                ServiceInfo svc = pick(withVip);
                IpAddress vip = svc.clusterIps().stream()
                        .filter(ip -> ip.family() == src.family())
                        .findFirst()
                        .orElseThrow();
                ServiceInfo.ServicePort sp = pick(svc.ports());
                out.add(io.ovsanp.compiler.eval.Packet.of(src, vip, sp.protocol(), sp.port()));
                continue;
            }
            IpAddress dst = !edges.isEmpty() && chance(0.3) ? pick(edges) : pick(same);
            IpAddress source = src;
            if (chance(0.04)) {
                dst = src; // a pod reaching itself
            } else if (chance(0.1)) {
                // an external or node source to a pod: only the ingress side judges it
                List<IpAddress> outside = new ArrayList<>();
                for (String e : EXTERNAL) outside.add(IpAddress.parse(e));
                for (NodeInfo n : s.nodes()) outside.addAll(n.addresses());
                IpAddress finalDst = dst;
                List<IpAddress> from = outside.stream()
                        .filter(o -> o.family() == finalDst.family() && !o.equals(finalDst))
                        .toList();
                if (!from.isEmpty()) source = pick(from);
            }
            int kind = r.nextInt(8);
            if (kind == 0) {
                out.add(io.ovsanp.compiler.eval.Packet.icmp(source, dst));
            } else {
                Protocol proto = kind < 5 ? Protocol.TCP : kind < 7 ? Protocol.UDP : Protocol.SCTP;
                double d = r.nextDouble();
                int port = d < 0.5 && !portEdges.isEmpty()
                        ? pick(portEdges)
                        : d < 0.9 ? PORTS[r.nextInt(PORTS.length)] : 1 + r.nextInt(65535);
                out.add(io.ovsanp.compiler.eval.Packet.of(source, dst, proto, port));
            }
        }
        return out;
    }

    /** Boundary values of the rules: ports just inside and outside ranges, first/last addresses of CIDRs and their neighbours. */
    private static void edges(ClusterSnapshot s, List<Integer> ports, List<IpAddress> addresses) {
        List<Rule> rules = new ArrayList<>();
        s.adminPolicies().forEach(p -> rules.addAll(p.egress()));
        s.networkPolicies().forEach(p -> rules.addAll(p.egress()));
        for (PodInfo pod : s.pods()) {
            pod.ports().forEach(cp -> ports.add(cp.port()));
        }
        for (Rule rule : rules) {
            for (PortMatch pm : rule.ports()) {
                if (pm instanceof PortMatch.Number n) {
                    addPorts(ports, n.port() - 1, n.port(), n.port() + 1);
                } else if (pm instanceof PortMatch.Range rg) {
                    addPorts(ports, rg.start() - 1, rg.start(), rg.end(), rg.end() + 1);
                }
            }
            for (Peer peer : rule.peers()) {
                List<String> cidrs = new ArrayList<>();
                if (peer instanceof Peer.Networks n) cidrs.addAll(n.cidrs());
                if (peer instanceof Peer.IpBlock b) {
                    cidrs.add(b.cidr());
                    cidrs.addAll(b.except());
                }
                for (String c : cidrs) {
                    try {
                        io.ovsanp.compiler.net.Cidr cidr =
                                io.ovsanp.compiler.net.Cidr.parse(c).cidr();
                        java.math.BigInteger first = cidr.first().toBigInteger();
                        java.math.BigInteger last = cidr.last().toBigInteger();
                        java.math.BigInteger max =
                                java.math.BigInteger.ONE.shiftLeft(cidr.family().bits());
                        for (java.math.BigInteger v : List.of(
                                first.subtract(java.math.BigInteger.ONE),
                                first,
                                last,
                                last.add(java.math.BigInteger.ONE))) {
                            if (v.signum() >= 0 && v.compareTo(max) < 0) {
                                addresses.add(IpAddress.fromBigInteger(cidr.family(), v));
                            }
                        }
                    } catch (IllegalArgumentException invalid) {
                        // invalid CIDRs are part of the test input; they have no edges
                    }
                }
            }
        }
    }

    private static void addPorts(List<Integer> ports, int... values) {
        for (int v : values) {
            if (v >= 1 && v <= 65535) ports.add(v);
        }
    }
}
