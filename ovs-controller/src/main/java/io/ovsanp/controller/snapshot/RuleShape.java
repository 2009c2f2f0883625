package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.PortMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the rules of v1alpha1 (ANP, BANP; release v0.1.7) and v1alpha2 (ClusterNetworkPolicy; release
 * v0.2.0) differ in, per direction. Everything else of a rule (name, action, {@code to} or {@code
 * from}, exactly one field per peer and per port entry) is read alike by {@link AdminPolicyReader#rule}.
 * Ingress peers are the same in all three kinds: namespaces or pods ({@code
 * AdminNetworkPolicyIngressPeer}, {@code ClusterNetworkPolicyIngressPeer}); nodes, networks and
 * domainNames exist only in egress, so in an ingress peer they are unknown fields.
 *
 * @param egressPeerFields the egress peer fields the kind knows
 * @param namespaceSelectorOptional whether {@code pods.namespaceSelector} may be left out (v1alpha2:
 *     it is then empty and selects every namespace)
 * @param portsField {@code ports} or {@code protocols}
 * @param portNoun what one entry of {@code portsField} is called in messages
 * @param actions the API's action names, in the order messages list them
 * @param ports reads one entry of {@code portsField}
 */
record RuleShape(
        List<String> egressPeerFields,
        boolean namespaceSelectorOptional,
        String portsField,
        String portNoun,
        Map<String, Action> actions,
        PortReader ports) {

    /** Reads one entry of a rule's port list; empty (and reported) when it cannot be read. */
    interface PortReader {
        Optional<PortMatch> read(FieldReader r, JsonNode node, String path);
    }

    static final RuleShape ANP = v1alpha1(List.of("namespaces", "pods", "nodes", "networks", "domainNames"));

    /** BANP has no domainNames (an unknown field there) and no Pass (the validator reports it). */
    static final RuleShape BANP = v1alpha1(List.of("namespaces", "pods", "nodes", "networks"));

    static final RuleShape CNP = new RuleShape(
            List.of("namespaces", "pods", "nodes", "networks", "domainNames"),
            true,
            "protocols",
            "protocol",
            actions("Accept", "Deny", "Pass"),
            ClusterNetworkPolicyReader::protocol);

    /** The ingress peer fields of ANP, BANP and ClusterNetworkPolicy alike. */
    static final List<String> INGRESS_PEER_FIELDS = List.of("namespaces", "pods");

    RuleShape {
        egressPeerFields = List.copyOf(egressPeerFields);
    }

    /** The peer fields the kind knows in rules of direction {@code d}. */
    List<String> peerFields(Direction d) {
        return d == Direction.EGRESS ? egressPeerFields : INGRESS_PEER_FIELDS;
    }

    private static RuleShape v1alpha1(List<String> peerFields) {
        return new RuleShape(
                peerFields, false, "ports", "port", actions("Allow", "Deny", "Pass"), AdminPeerReader::port);
    }

    /** {@code name}, {@code action}, the peer list ({@code to} or {@code from}) and {@code portsField}. */
    List<String> ruleFields(Direction d) {
        return List.of("name", "action", d.peersField(), portsField);
    }

    /** {@code Allow, Deny or Pass}. */
    String actionList() {
        List<String> names = new ArrayList<>(actions.keySet());
        String last = names.remove(names.size() - 1);
        return String.join(", ", names) + " or " + last;
    }

    private static Map<String, Action> actions(String allow, String deny, String pass) {
        Map<String, Action> m = new LinkedHashMap<>();
        m.put(allow, Action.ALLOW);
        m.put(deny, Action.DENY);
        m.put(pass, Action.PASS);
        return java.util.Collections.unmodifiableMap(m);
    }
}
