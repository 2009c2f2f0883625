package io.ovsanp.controller.snapshot;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A networking.k8s.io/v1 NetworkPolicy (fabric8) as the {@link NetworkPolicy} model, egress and
 * ingress. Follows the API's defaulting: policyTypes absent or empty means Ingress, plus Egress when
 * the policy has egress rules; {@code to} (egress) or {@code from} (ingress) absent or empty means
 * every destination or every source; {@code ports} absent or empty means every port; protocol
 * defaults to TCP. A direction that is isolated with no rules ({@code ingress: []}) allows nothing.
 * Unknown fields (fabric8 {@code additionalProperties}) and invalid selectors or peers are ERRORs in
 * {@link NetworkPolicy#readProblems()}; an invalid peer reads as {@link Peer.Unsupported}, an invalid
 * podSelector as {@link LabelSelector#ALL} (isolating more pods fails closed), an invalid port entry
 * is left out.
 */
public final class NetworkPolicyConverter {
    private NetworkPolicyConverter() {}

    public static NetworkPolicy convert(
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np, SourceRef source) {
        var meta = np.getMetadata();
        String namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
        FieldReader r =
                new FieldReader(new ObjectRef("NetworkPolicy", namespace, meta.getName(), meta.getUid(), source));
        // NetworkPolicy lost its status field in Kubernetes 1.27; old dumps may still carry one.
        Fabric8Fields.rejectUnknown(r, np.getAdditionalProperties(), "", Set.of("status"));
        Fabric8Fields.rejectUnknown(r, meta.getAdditionalProperties(), "metadata");
        NetworkPolicySpec spec = np.getSpec();
        if (spec == null) {
            r.missing("spec");
            return new NetworkPolicy(r.object(), LabelSelector.ALL, false, List.of(), r.problems());
        }
        Fabric8Fields.rejectUnknown(r, spec.getAdditionalProperties(), "spec");
        LabelSelector podSelector = LabelSelector.ALL;
        if (spec.getPodSelector() == null) {
            r.missing("spec.podSelector");
        } else {
            podSelector = SelectorReader.read(r, spec.getPodSelector(), "spec.podSelector")
                    .orElse(LabelSelector.ALL);
        }
        List<NetworkPolicyEgressRule> egress = orEmpty(spec.getEgress());
        List<NetworkPolicyIngressRule> ingress = orEmpty(spec.getIngress());
        List<String> types = orEmpty(spec.getPolicyTypes());
        for (int i = 0; i < types.size(); i++) {
            if (!types.get(i).equals("Ingress") && !types.get(i).equals("Egress")) {
                r.error(
                        FieldPath.index("spec.policyTypes", i),
                        "unknown policy type \"" + types.get(i) + "\" (expected Ingress or Egress)");
            }
        }
        boolean isolatesEgress = types.isEmpty() ? !egress.isEmpty() : types.contains("Egress");
        // Every NetworkPolicy without policyTypes isolates its pods for ingress, rules or not.
        boolean isolatesIngress = types.isEmpty() || types.contains("Ingress");
        List<Rule> egressRules = new ArrayList<>();
        for (int i = 0; i < egress.size(); i++) {
            NetworkPolicyEgressRule rule = egress.get(i);
            egressRules.add(
                    rule == null
                            ? nullRule(r, Direction.EGRESS, i)
                            : rule(
                                    r,
                                    namespace,
                                    Direction.EGRESS,
                                    i,
                                    rule.getAdditionalProperties(),
                                    rule.getTo(),
                                    rule.getPorts()));
        }
        List<Rule> ingressRules = new ArrayList<>();
        for (int i = 0; i < ingress.size(); i++) {
            NetworkPolicyIngressRule rule = ingress.get(i);
            ingressRules.add(
                    rule == null
                            ? nullRule(r, Direction.INGRESS, i)
                            : rule(
                                    r,
                                    namespace,
                                    Direction.INGRESS,
                                    i,
                                    rule.getAdditionalProperties(),
                                    rule.getFrom(),
                                    rule.getPorts()));
        }
        return new NetworkPolicy(
                r.object(), podSelector, isolatesEgress, egressRules, isolatesIngress, ingressRules, r.problems());
    }

    /** A JSON null in the rule list: reported, and read as a rule that allows nothing. */
    private static Rule nullRule(FieldReader r, Direction d, int index) {
        r.error(FieldPath.index("spec." + d.field(), index), "expected an object, got null");
        return new Rule(index, "", Action.ALLOW, List.of(new Peer.Unsupported("null rule")), List.of());
    }

    /**
     * One rule of direction {@code d}: {@code peerList} is its {@code to} (egress, destinations) or
     * {@code from} (ingress, sources); both read alike.
     */
    private static Rule rule(
            FieldReader r,
            String namespace,
            Direction d,
            int index,
            Map<String, Object> unknown,
            List<NetworkPolicyPeer> peerList,
            List<NetworkPolicyPort> portEntries) {
        String path = FieldPath.index("spec." + d.field(), index);
        Fabric8Fields.rejectUnknown(r, unknown, path);
        List<Peer> peers = new ArrayList<>();
        List<NetworkPolicyPeer> entries = orEmpty(peerList);
        for (int j = 0; j < entries.size(); j++) {
            peers.add(peer(r, namespace, entries.get(j), FieldPath.index(FieldPath.field(path, d.peersField()), j)));
        }
        List<PortMatch> ports = new ArrayList<>();
        List<NetworkPolicyPort> portList = orEmpty(portEntries);
        for (int k = 0; k < portList.size(); k++) {
            port(r, portList.get(k), FieldPath.index(FieldPath.field(path, "ports"), k))
                    .ifPresent(ports::add);
        }
        return new Rule(index, "", Action.ALLOW, peers, ports);
    }

    private static Peer peer(FieldReader r, String namespace, NetworkPolicyPeer peer, String path) {
        if (peer == null) {
            r.error(path, "expected an object, got null");
            return new Peer.Unsupported("null peer");
        }
        int before = r.problemCount();
        Fabric8Fields.rejectUnknown(r, peer.getAdditionalProperties(), path);
        boolean selectors = peer.getPodSelector() != null || peer.getNamespaceSelector() != null;
        IPBlock ipBlock = peer.getIpBlock();
        if (ipBlock != null && selectors) {
            r.error(path, "ipBlock cannot be combined with podSelector or namespaceSelector");
        } else if (ipBlock == null && !selectors) {
            r.error(path, "one of podSelector, namespaceSelector or ipBlock must be set");
        }
        if (r.problemCount() != before) {
            return new Peer.Unsupported("invalid NetworkPolicy peer");
        }
        if (ipBlock != null) {
            String p = FieldPath.field(path, "ipBlock");
            Fabric8Fields.rejectUnknown(r, ipBlock.getAdditionalProperties(), p);
            if (ipBlock.getCidr() == null) {
                r.missing(FieldPath.field(p, "cidr"));
            }
            if (r.problemCount() != before) {
                // e.g. a misspelt "except": reading the block without it would widen an Allow.
                return new Peer.Unsupported("invalid ipBlock");
            }
            return new Peer.IpBlock(ipBlock.getCidr(), orEmpty(ipBlock.getExcept()));
        }
        // A podSelector alone selects pods in the policy's own namespace.
        Optional<LabelSelector> ns = peer.getNamespaceSelector() == null
                ? Optional.of(LabelSelector.of(Map.of(NamespaceInfo.NAME_LABEL, namespace)))
                : SelectorReader.read(r, peer.getNamespaceSelector(), FieldPath.field(path, "namespaceSelector"));
        Optional<LabelSelector> pods = peer.getPodSelector() == null
                ? Optional.empty()
                : SelectorReader.read(r, peer.getPodSelector(), FieldPath.field(path, "podSelector"));
        if (r.problemCount() != before || ns.isEmpty()) {
            return new Peer.Unsupported("invalid selector");
        }
        if (peer.getPodSelector() == null) {
            return new Peer.Namespaces(ns.get());
        }
        return pods.<Peer>map(p -> new Peer.Pods(ns.get(), p)).orElse(new Peer.Unsupported("invalid selector"));
    }

    private static Optional<PortMatch> port(FieldReader r, NetworkPolicyPort port, String path) {
        if (port == null) {
            r.error(path, "expected an object, got null");
            return Optional.empty();
        }
        int before = r.problemCount();
        Fabric8Fields.rejectUnknown(r, port.getAdditionalProperties(), path);
        Protocol protocol = Protocol.TCP;
        if (port.getProtocol() != null) {
            Optional<Protocol> p = Protocol.fromApi(port.getProtocol());
            if (p.isEmpty()) {
                r.error(
                        FieldPath.field(path, "protocol"),
                        "unknown protocol \"" + port.getProtocol() + "\" (expected TCP, UDP or SCTP)");
            }
            protocol = p.orElse(Protocol.TCP);
        }
        IntOrString value = port.getPort();
        Integer endPort = port.getEndPort();
        boolean numeric = value != null && value.getIntVal() != null;
        if (value != null && !numeric && value.getStrVal() == null) {
            r.error(FieldPath.field(path, "port"), "expected an integer or a string, got " + value.getValue());
        } else if (endPort != null && !numeric) {
            r.error(FieldPath.field(path, "endPort"), "endPort needs a numeric port");
        }
        if (r.problemCount() != before) {
            return Optional.empty();
        }
        if (value == null) {
            return Optional.of(new PortMatch.AnyPort(protocol));
        }
        if (numeric) {
            int n = value.getIntVal();
            return Optional.of(
                    endPort == null ? new PortMatch.Number(protocol, n) : new PortMatch.Range(protocol, n, endPort));
        }
        return Optional.of(new PortMatch.Named(value.getStrVal(), Optional.of(protocol)));
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
