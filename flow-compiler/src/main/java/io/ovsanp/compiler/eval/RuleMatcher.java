package io.ovsanp.compiler.eval;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.dns.ResolverState;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The matching predicates of the API, evaluated against one cluster snapshot, written as directly as
 * docs/semantics.md states them. Only lookups by IP are precomputed. Shares nothing with the compiler on
 * purpose: it is the reference the compiled flows are checked against.
 */
public final class RuleMatcher {
    private final Map<String, Map<String, String>> namespaceLabels;
    /** Non-host-network pods by IP, in snapshot order; host-network pods are never pod peers. */
    private final Map<IpAddress, List<PodInfo>> podsByIp = new HashMap<>();

    private final List<NodeInfo> nodes;
    private final ClusterSnapshot snapshot;
    private final ServiceVips serviceVips;
    private final ResolverStates resolved;

    /** A matcher that sees Service IPs as plain addresses ({@link ServiceVips#NONE}). */
    public RuleMatcher(ClusterSnapshot snapshot) {
        this(snapshot, ServiceVips.NONE);
    }

    public RuleMatcher(ClusterSnapshot snapshot, ServiceVips serviceVips) {
        this(snapshot, serviceVips, ResolverState.EMPTY);
    }

    /** {@code resolved}: what names resolved to for every pod, for {@code domainNames} peers (none: they match nothing). */
    public RuleMatcher(ClusterSnapshot snapshot, ServiceVips serviceVips, ResolverState resolved) {
        this(snapshot, serviceVips, ResolverStates.everyPod(resolved));
    }

    /** {@code resolved}: what each pod has resolved, for the {@code domainNames} peers of its egress rules. */
    public RuleMatcher(ClusterSnapshot snapshot, ServiceVips serviceVips, ResolverStates resolved) {
        this.resolved = Objects.requireNonNull(resolved, "resolved");
        this.namespaceLabels = snapshot.namespaceLabels();
        this.nodes = snapshot.nodes();
        this.snapshot = snapshot;
        this.serviceVips = Objects.requireNonNull(serviceVips, "serviceVips");
        for (PodInfo pod : snapshot.pods()) {
            if (pod.hostNetwork()) {
                continue;
            }
            for (IpAddress ip : pod.ips()) {
                podsByIp.computeIfAbsent(ip, k -> new ArrayList<>()).add(pod);
            }
        }
        podsByIp.replaceAll((ip, pods) -> List.copyOf(pods));
    }

    /** The non-host-network pods that own {@code ip} (normally zero or one), in snapshot order. */
    public List<PodInfo> podsWithIp(IpAddress ip) {
        return podsByIp.getOrDefault(ip, List.of());
    }

    /** Labels of a namespace; a namespace nobody mentions has only its name label. */
    public Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> labels = namespaceLabels.get(namespace);
        return labels != null ? labels : new NamespaceInfo(namespace, Map.of()).labels();
    }

    /**
     * True when {@code pod} is not host-network, its namespace matches {@code namespaceSelector} and
     * the pod matches {@code podSelector}: ANP/BANP {@code subject.pods} and the {@code pods} peer.
     */
    public boolean selects(LabelSelector namespaceSelector, LabelSelector podSelector, PodInfo pod) {
        return !pod.hostNetwork()
                && namespaceSelector.matches(namespaceLabels(pod.namespace()))
                && podSelector.matches(pod.labels());
    }

    /** ANP/BANP subject; host-network pods are never subjects. */
    public boolean isSubject(Subject subject, PodInfo pod) {
        return selects(subject.namespaceSelector(), subject.podSelector(), pod);
    }

    /**
     * A NetworkPolicy isolates a pod for egress when it is in the pod's namespace, its podSelector
     * matches the pod and it governs egress (networking.k8s.io/v1 policyTypes).
     */
    public boolean isolates(EffectiveNetworkPolicy np, PodInfo pod) {
        return isolates(np, pod, Direction.EGRESS);
    }

    /** As {@link #isolates(EffectiveNetworkPolicy, PodInfo)}, for direction {@code d}. */
    public boolean isolates(EffectiveNetworkPolicy np, PodInfo pod, Direction d) {
        return np.isolates(d)
                && !pod.hostNetwork()
                && np.namespace().equals(pod.namespace())
                && np.podSelector().matches(pod.labels());
    }

    /**
     * Peer and port of the rule match (the destination of an egress rule, the source of an ingress
     * rule); who the subject is is checked by the caller.
     */
    public boolean matches(EffectiveRule rule, Packet packet) {
        return destinationMatches(rule, peer(rule, packet), subject(rule, packet)) && portMatches(rule, packet);
    }

    /** The address of the rule's subject pod in {@code packet}: the source for egress, the destination for ingress. */
    public static IpAddress subject(EffectiveRule rule, Packet packet) {
        return rule.ref().ingress() ? packet.dst() : packet.src();
    }

    /** The address a rule's peers are matched against: the destination for egress, the source for ingress. */
    public static IpAddress peer(EffectiveRule rule, Packet packet) {
        return rule.ref().ingress() ? packet.src() : packet.dst();
    }

    /** The addresses of node {@code name} (empty for an unknown node). */
    public List<IpAddress> nodeAddresses(String name) {
        return nodes.stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .map(NodeInfo::addresses)
                .orElse(List.of());
    }

    /** As {@link #destinationMatches(EffectiveRule, IpAddress, IpAddress)} for no pod in particular. */
    public boolean destinationMatches(EffectiveRule rule, IpAddress dst) {
        return destinationMatches(rule, dst, null);
    }

    /**
     * Whether {@code dst} is one of the rule's peers for the subject pod at address {@code subject}
     * (which matters only for {@code domainNames}: the names that pod resolved; null: what every pod
     * resolved).
     */
    public boolean destinationMatches(EffectiveRule rule, IpAddress dst, IpAddress subject) {
        if (rule.anyDestination()) {
            return true;
        }
        return rule.destinations().stream().anyMatch(d -> destinationMatches(d, dst, subject));
    }

    public boolean destinationMatches(Destination destination, IpAddress dst) {
        return destinationMatches(destination, dst, null);
    }

    /**
     * Whether the rule's peers name a Service endpoint for the pre-DNAT mapping: by the cluster's
     * addresses only, never by a name some pod resolved (a Service's endpoints come from its
     * EndpointSlices; docs/semantics.md, "Subjects and peers").
     */
    private boolean coversEndpoint(EffectiveRule rule, IpAddress endpoint) {
        return rule.anyDestination()
                || rule.destinations().stream()
                        .anyMatch(
                                d -> !(d instanceof Destination.DomainNames) && destinationMatches(d, endpoint, null));
    }

    /** What the pod at {@code subject} resolved: what it learned at any of its addresses. */
    public ResolverState resolvedBy(IpAddress subject) {
        if (subject == null) {
            return resolved.forPod(List.of());
        }
        List<PodInfo> pods = podsWithIp(subject);
        if (pods.isEmpty()) {
            return resolved.forPod(List.of(subject));
        }
        List<IpAddress> all = new ArrayList<>();
        for (PodInfo p : pods) all.addAll(p.ips());
        return resolved.forPod(all);
    }

    public boolean destinationMatches(Destination destination, IpAddress dst, IpAddress subject) {
        if (destination instanceof Destination.PodSelection) {
            Destination.PodSelection s = (Destination.PodSelection) destination;
            return podsWithIp(dst).stream().anyMatch(p -> selects(s.namespaceSelector(), s.podSelector(), p));
        }
        if (destination instanceof Destination.NodeSelection) {
            Destination.NodeSelection s = (Destination.NodeSelection) destination;
            // NPEP-126: the IPs in status.addresses of the selected nodes, host-network pods included.
            return nodes.stream()
                    .anyMatch(
                            n -> n.addresses().contains(dst) && s.nodeSelector().matches(n.labels()));
        }
        if (destination instanceof Destination.Cidrs) {
            // A CIDR matches any IP inside it, pod and node IPs included.
            for (Cidr cidr : ((Destination.Cidrs) destination).cidrs()) {
                if (cidr.contains(dst)) {
                    return true;
                }
            }
            return false;
        }
        if (destination instanceof Destination.DomainNames names) {
            // docs/semantics.md, "Subjects and peers": an address a covered name resolved to
            return resolvedBy(subject).covers(names.patterns(), dst);
        }
        throw new AssertionError(destination);
    }

    /** A rule with ports never matches ICMP or any other protocol without ports. */
    public boolean portMatches(EffectiveRule rule, Packet packet) {
        if (rule.anyPort()) {
            return true;
        }
        return rule.ports().stream().anyMatch(m -> portMatches(m, packet));
    }

    public boolean portMatches(PortMatch match, Packet packet) {
        Optional<Protocol> proto = packet.proto().transport();
        if (proto.isEmpty()) {
            return false;
        }
        int port = packet.dstPort();
        if (match instanceof PortMatch.Number) {
            PortMatch.Number n = (PortMatch.Number) match;
            return n.protocol() == proto.get() && n.port() == port;
        }
        if (match instanceof PortMatch.Range) {
            PortMatch.Range r = (PortMatch.Range) match;
            return r.protocol() == proto.get() && r.start() <= port && port <= r.end();
        }
        if (match instanceof PortMatch.AnyPort) {
            return ((PortMatch.AnyPort) match).protocol() == proto.get();
        }
        if (match instanceof PortMatch.Named) {
            return namedPortMatches((PortMatch.Named) match, packet.dst(), proto.get(), port);
        }
        throw new AssertionError(match);
    }

    /**
     * namedPort is resolved against the destination pod's container ports: some non-host-network pod
     * owning {@code dst} has a port of that name (and of the match's protocol, when it names one)
     * whose protocol and number are the packet's. Unresolved names match nothing.
     */
    private boolean namedPortMatches(PortMatch.Named named, IpAddress dst, Protocol proto, int port) {
        for (PodInfo pod : podsWithIp(dst)) {
            for (ContainerPort cp : pod.ports()) {
                if (cp.name().isEmpty() || !cp.name().equals(named.name())) {
                    continue;
                }
                if (named.protocol().isPresent() && named.protocol().get() != cp.protocol()) {
                    continue;
                }
                if (cp.protocol() == proto && cp.port() == port) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Pre-DNAT mode (docs/architecture.md, "Peers and the apiserver"): a packet to a mapped Service's
     * ClusterIP and service port is what the Service's endpoints will receive after DNAT. The rule
     * matches it when its destination and ports cover the endpoints of the ClusterIP's family on the
     * port that service port leads to: any endpoint for Deny and Pass, every endpoint for Allow; no
     * endpoints, no match. Empty when the rule does not match this way (a direct match is {@link
     * #matches}).
     */
    public Optional<ServiceVipMatch> matchesThroughServiceVip(EffectiveRule rule, Packet packet) {
        Optional<Protocol> proto = packet.proto().transport();
        if (!serviceVips.enabled() || proto.isEmpty()) {
            return Optional.empty();
        }
        for (ServiceInfo svc : snapshot.services()) {
            if (!serviceVips.appliesTo(svc) || !svc.clusterIps().contains(packet.dst())) {
                continue;
            }
            for (ServiceInfo.ServicePort sp : svc.ports()) {
                if (sp.protocol() != proto.get() || sp.port() != packet.dstPort()) {
                    continue;
                }
                List<ServiceVips.Backend> endpoints =
                        ServiceVips.backends(snapshot, svc, sp, packet.dst().family());
                List<ServiceVips.Backend> covered = endpoints.stream()
                        .filter(b -> coversEndpoint(rule, b.ip())
                                && portMatches(rule, Packet.of(packet.src(), b.ip(), b.protocol(), b.port())))
                        .toList();
                boolean hit = rule.action() == Action.ALLOW
                        ? !endpoints.isEmpty() && covered.size() == endpoints.size()
                        : !covered.isEmpty();
                if (hit) {
                    return Optional.of(new ServiceVipMatch(svc, packet.dst(), sp, covered, endpoints.size()));
                }
            }
        }
        return Optional.empty();
    }

    /** How a packet to a ClusterIP matched a rule through the Service's endpoints. */
    public record ServiceVipMatch(
            ServiceInfo service,
            IpAddress clusterIp,
            ServiceInfo.ServicePort port,
            List<ServiceVips.Backend> covered,
            int endpoints) {
        public ServiceVipMatch {
            covered = List.copyOf(covered);
        }

        /** {@code pre-DNAT ClusterIP 10.96.0.1 TCP/443 of Service default/kubernetes}. */
        public String describe() {
            return "pre-DNAT ClusterIP " + clusterIp + " " + port.protocol() + "/" + port.port() + " of Service "
                    + service.namespace() + "/" + service.name();
        }

        /** {@link #describe()} and which endpoints the rule covers. */
        public String detail() {
            return describe() + ": " + (covered.size() == endpoints ? "all " : "")
                    + covered.size() + " of " + endpoints + " endpoint(s) covered ("
                    + covered.stream().map(ServiceVips.Backend::toString).collect(Collectors.joining(", ")) + ")";
        }
    }
}
