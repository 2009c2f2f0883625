package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * Egress peers of ANP/BANP ({@code AdminNetworkPolicyEgressPeer}, {@code
 * BaselineAdminNetworkPolicyEgressPeer}, v0.1.7) and ClusterNetworkPolicy ({@code
 * ClusterNetworkPolicyEgressPeer}, v0.2.0), their ingress peers ({@code AdminNetworkPolicyIngressPeer},
 * {@code ClusterNetworkPolicyIngressPeer}: namespaces or pods only), and ANP/BANP ports ({@code
 * AdminNetworkPolicyPort}). All require exactly one field. The API says a consumer that sees no known field set must assume a
 * newer, unknown peer kind and fail closed, so any peer problem yields {@link Peer.Unsupported}.
 */
final class AdminPeerReader {
    private static final List<String> PORT_FIELDS = List.of("portNumber", "portRange", "namedPort");

    private AdminPeerReader() {}

    /** One peer of a rule of direction {@code d}; {@link Peer.Unsupported} (reported) when it cannot be read. */
    static Peer peer(FieldReader r, RuleShape shape, Direction d, JsonNode node, String path) {
        if (!r.requireObject(node, path)) {
            return new Peer.Unsupported("peer is not an object");
        }
        List<String> known = shape.peerFields(d);
        int before = r.problemCount();
        Optional<String> one = r.exactlyOne(node, path, known);
        if (one.isEmpty()) {
            List<String> set =
                    known.stream().filter(f -> FieldReader.get(node, f) != null).toList();
            boolean unknown = node.propertyNames().stream().anyMatch(f -> !known.contains(f));
            return new Peer.Unsupported(
                    unknown
                            ? "unknown peer field"
                            : set.isEmpty()
                                    ? "no peer field set"
                                    : "several peer fields set: " + String.join(", ", set));
        }
        String field = one.get();
        JsonNode value = FieldReader.get(node, field);
        String p = FieldPath.field(path, field);
        Optional<? extends Peer> peer;
        switch (field) {
            case "namespaces":
                peer = SelectorReader.read(r, value, p).map(Peer.Namespaces::new);
                break;
            case "pods":
                peer = AdminPolicyReader.namespacedPod(r, value, p, shape.namespaceSelectorOptional());
                break;
            case "nodes":
                peer = SelectorReader.read(r, value, p).map(Peer.Nodes::new);
                break;
            case "networks":
                peer = r.stringList(node, path, field, true).map(Peer.Networks::new);
                break;
            case "domainNames":
                peer = r.stringList(node, path, field, true).map(Peer.DomainNames::new);
                break;
            default:
                throw new AssertionError(field);
        }
        if (r.problemCount() != before || peer.isEmpty()) {
            return new Peer.Unsupported("invalid " + field + " peer");
        }
        return peer.get();
    }

    /** One {@code ports} entry; empty (and reported) when it is not exactly one valid field. */
    static Optional<PortMatch> port(FieldReader r, JsonNode node, String path) {
        if (!r.requireObject(node, path)) {
            return Optional.empty();
        }
        int before = r.problemCount();
        Optional<String> one = r.exactlyOne(node, path, PORT_FIELDS);
        if (one.isEmpty()) {
            return Optional.empty();
        }
        String field = one.get();
        JsonNode value = FieldReader.get(node, field);
        String p = FieldPath.field(path, field);
        if (field.equals("namedPort")) {
            return r.string(node, path, field, true).map(name -> new PortMatch.Named(name, Optional.empty()));
        }
        if (!r.requireObject(value, p)) {
            return Optional.empty();
        }
        if (field.equals("portNumber")) {
            r.rejectUnknown(value, p, List.of("protocol", "port"));
            Optional<Protocol> protocol = protocol(r, value, p);
            OptionalInt port = r.int32(value, p, "port", true);
            if (r.problemCount() != before || protocol.isEmpty() || port.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PortMatch.Number(protocol.get(), port.getAsInt()));
        }
        r.rejectUnknown(value, p, List.of("protocol", "start", "end"));
        Optional<Protocol> protocol = protocol(r, value, p);
        OptionalInt start = r.int32(value, p, "start", true);
        OptionalInt end = r.int32(value, p, "end", true);
        if (r.problemCount() != before || protocol.isEmpty() || start.isEmpty() || end.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PortMatch.Range(protocol.get(), start.getAsInt(), end.getAsInt()));
    }

    /** {@code protocol}: TCP, UDP or SCTP; absent means TCP (CRD default). */
    static Optional<Protocol> protocol(FieldReader r, JsonNode node, String path) {
        Optional<String> text = r.string(node, path, "protocol", false);
        if (text.isEmpty()) {
            return FieldReader.get(node, "protocol") == null ? Optional.of(Protocol.TCP) : Optional.empty();
        }
        Optional<Protocol> p = Protocol.fromApi(text.get());
        if (p.isEmpty()) {
            r.error(
                    FieldPath.field(path, "protocol"),
                    "unknown protocol \"" + text.get() + "\" (expected TCP, UDP or SCTP)");
        }
        return p;
    }
}
