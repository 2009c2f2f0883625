package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.Rule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ovs-anp matrix}'s model: for every port class ({@link MatrixPorts}), every pod (the rows, in
 * snapshot order, so grouped by namespace) to every column, the verdict {@code explain} gives. Columns
 * are the pods, the nodes, the apiserver's endpoints (the EndpointSlices of {@code default/kubernetes};
 * with {@code --service-vips pre-dnat} also its ClusterIP) and one address inside each CIDR that an
 * egress rule names ({@link #representative}). A cell is {@link ConnectionProbe#judge}: the same
 * address choice and evaluation as {@code explain}; empty when the pod has no address of the column's
 * families.
 */
record ConnectivityMatrix(
        List<PodInfo> rows, List<Column> columns, List<MatrixPorts.PortClass> ports, List<List<List<Cell>>> cells) {

    enum Kind {
        POD,
        NODE,
        APISERVER,
        CIDR
    }

    /**
     * One destination: {@code name} is the header ({@code shop/web}, {@code worker-1}, {@code
     * apiserver}, {@code 10.10.0.0/16}); {@code addresses} what a cell may connect to (the first of the
     * row's family); {@code note} says where the address comes from.
     */
    record Column(Kind kind, String name, List<IpAddress> addresses, String note) {
        Column {
            addresses = List.copyOf(addresses);
        }

        /** What {@code explain --to} takes for this column and a cell's destination address. */
        String explainTo(IpAddress dst) {
            return kind == Kind.POD ? name : dst.toString();
        }
    }

    /** One cell: empty result when the row's pod has no address of the column's families. */
    record Cell(PodInfo from, Column to, MatrixPorts.PortClass port, Optional<ConnectionProbe.Result> result) {
        boolean applicable() {
            return result.isPresent();
        }

        boolean allowed() {
            return result.map(r -> r.verdict().allowed()).orElse(false);
        }

        /** The hover text: the verdict, then each side's deciding tier, policy and rule. */
        String title() {
            if (result.isEmpty()) {
                return from.key() + " has no address of " + to.name() + "'s family";
            }
            ConnectionProbe.Result r = result.get();
            return ExplainCommand.headline(r.verdict()) + "\n" + r.packet() + "\negress: "
                    + side(r.verdict().egress()) + "\ningress: "
                    + side(r.verdict().ingress());
        }

        private static String side(Verdict v) {
            return v.tier().map(t -> "[" + t.kind() + " tier] ").orElse("") + v.describe();
        }
    }

    static ConnectivityMatrix build(ClusterSnapshot snapshot, EffectivePolicies policies, ServiceVips vips) {
        List<PodInfo> rows =
                snapshot.pods().stream().filter(p -> !p.ips().isEmpty()).toList();
        List<Column> columns = columns(snapshot, vips);
        List<MatrixPorts.PortClass> ports = MatrixPorts.of(snapshot, policies, vips);
        ConnectionProbe probe = new ConnectionProbe(snapshot, policies, vips);
        List<List<List<Cell>>> cells = new ArrayList<>();
        for (MatrixPorts.PortClass port : ports) {
            List<List<Cell>> grid = new ArrayList<>();
            for (PodInfo from : rows) {
                List<Cell> line = new ArrayList<>();
                for (Column to : columns) {
                    line.add(new Cell(from, to, port, probe.judge(from, to.addresses(), port.probePort())));
                }
                grid.add(List.copyOf(line));
            }
            cells.add(List.copyOf(grid));
        }
        return new ConnectivityMatrix(rows, columns, ports, List.copyOf(cells));
    }

    static List<Column> columns(ClusterSnapshot snapshot, ServiceVips vips) {
        List<Column> columns = new ArrayList<>();
        Set<IpAddress> known = new HashSet<>();
        for (PodInfo pod : snapshot.pods()) {
            if (!pod.ips().isEmpty()) {
                columns.add(new Column(Kind.POD, pod.key(), pod.ips(), pod.hostNetwork() ? "host network" : "pod"));
                known.addAll(pod.ips());
            }
        }
        for (NodeInfo node : snapshot.nodes()) {
            if (!node.addresses().isEmpty()) {
                columns.add(new Column(Kind.NODE, node.name(), node.addresses(), "node"));
                known.addAll(node.addresses());
            }
        }
        Optional<ServiceInfo> apiserver = snapshot.services().stream()
                .filter(s -> s.namespace().equals(ServiceVips.APISERVER_NAMESPACE)
                        && s.name().equals(ServiceVips.APISERVER_NAME))
                .findFirst();
        Set<IpAddress> endpoints = new LinkedHashSet<>();
        snapshot.endpointSlices().stream()
                .filter(s -> s.namespace().equals(ServiceVips.APISERVER_NAMESPACE)
                        && s.serviceName().equals(ServiceVips.APISERVER_NAME))
                .forEach(s -> endpoints.addAll(s.addresses()));
        for (IpAddress ip : endpoints) {
            columns.add(new Column(Kind.APISERVER, "apiserver " + ip, List.of(ip), "apiserver endpoint"));
            known.add(ip);
        }
        if (apiserver.isPresent()
                && vips.appliesTo(apiserver.get())
                && !apiserver.get().clusterIps().isEmpty()) {
            columns.add(new Column(
                    Kind.APISERVER,
                    "apiserver ClusterIP",
                    apiserver.get().clusterIps(),
                    "default/kubernetes ClusterIP (pre-DNAT)"));
            known.addAll(apiserver.get().clusterIps());
        }
        for (Map.Entry<Cidr, List<Cidr>> named : egressCidrs(snapshot).entrySet()) {
            IpAddress rep = representative(named.getKey(), named.getValue(), known);
            columns.add(new Column(Kind.CIDR, named.getKey().toString(), List.of(rep), "inside " + named.getKey()));
        }
        return List.copyOf(columns);
    }

    /** Every CIDR an egress peer names as written ({@code networks}, {@code ipBlock.cidr}), with its excepts. */
    private static Map<Cidr, List<Cidr>> egressCidrs(ClusterSnapshot snapshot) {
        List<Rule> rules = new ArrayList<>();
        for (AdminPolicy p : snapshot.adminPolicies()) rules.addAll(p.egress());
        for (NetworkPolicy p : snapshot.networkPolicies()) rules.addAll(p.egress());
        Map<Cidr, List<Cidr>> out = new LinkedHashMap<>();
        for (Rule rule : rules) {
            for (Peer peer : rule.peers()) {
                if (peer instanceof Peer.Networks n) {
                    n.cidrs().forEach(c -> parse(c).ifPresent(cidr -> out.putIfAbsent(cidr, List.of())));
                } else if (peer instanceof Peer.IpBlock b) {
                    List<Cidr> except =
                            b.except().stream().flatMap(e -> parse(e).stream()).toList();
                    parse(b.cidr()).ifPresent(cidr -> out.putIfAbsent(cidr, except));
                }
            }
        }
        return out;
    }

    /** Invalid CIDRs are the validator's business (their rules are fail-closed); no column for them. */
    private static Optional<Cidr> parse(String text) {
        try {
            return Optional.of(Cidr.parse(text).cidr());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The address a CIDR column connects to: the first host (the network address plus one; the
     * network address itself for a /32, /31, /128 or /127), or the next address after it that is no
     * pod, node or apiserver address and not inside the peer's {@code except}, looking at most 1024
     * addresses on; else the first host anyway.
     */
    static IpAddress representative(Cidr cidr, List<Cidr> except, Set<IpAddress> known) {
        BigInteger first = cidr.first().toBigInteger();
        BigInteger last = cidr.last().toBigInteger();
        BigInteger host = cidr.family().bits() - cidr.prefix() >= 2 ? first.add(BigInteger.ONE) : first;
        for (int i = 0; i < 1024 && host.add(BigInteger.valueOf(i)).compareTo(last) <= 0; i++) {
            IpAddress ip = IpAddress.fromBigInteger(cidr.family(), host.add(BigInteger.valueOf(i)));
            if (!known.contains(ip) && except.stream().noneMatch(e -> e.contains(ip))) {
                return ip;
            }
        }
        return IpAddress.fromBigInteger(cidr.family(), host);
    }
}
