package io.ovsanp.controller.central;

import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.controller.openflow.PeerIdentity;
import io.ovsanp.controller.openflow.wire.DatapathId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which connected switch is which Node's br-int, decided from the nodes, the connections and the
 * current holders (pure, no state of its own). How a switch proves its node depends on the {@link
 * Proof} of the listener:
 *
 * <ul>
 *   <li>{@link Proof#CERTIFICATE} ({@code pssl:}): the TLS client certificate, verified against our
 *       CA, names the node ({@link PeerIdentity}); the datapath id it reports must not belong to
 *       another node: not named by another node's {@value NodeInfo#DATAPATH_ID_ANNOTATION}
 *       annotation, not held by another node's connected switch, and equal to the node's own
 *       annotation when it has one. The source address is not used (it may be NATed).
 *   <li>{@link Proof#UNAUTHENTICATED} ({@code ptcp:}, only when asked for explicitly): exactly one
 *       node's annotation names the datapath id (and the source address is not another node's only);
 *       or, with no annotation naming it, the source address is exactly one node's, and that node has
 *       no annotation. Anyone who can reach the listener can claim any datapath id here.
 * </ul>
 *
 * Then, per node, one switch: the one that holds the node now (its {@code incumbent}) keeps it, so a
 * later connection never displaces, duplicates or freezes an established switch. Without a
 * certificate it is the incumbent itself, else the earliest. With a certificate a newer connection
 * of the same datapath id takes over (the same switch reconnecting before its old socket was seen
 * dead; it proved the same key); another datapath id with the node's certificate is refused.
 *
 * <p>Outcomes: {@link Mapped}; {@link Held} (connected, nothing written, re-decided when the
 * cluster changes: the node is not known yet, or the annotations are ambiguous); {@link Refused}
 * (the connection contradicts its proof or an established switch: the caller closes it).
 */
public final class SwitchMapping {
    private SwitchMapping() {}

    /** How switches prove which node they are. */
    public enum Proof {
        /** {@code pssl:}: the node named by the switch's TLS certificate. */
        CERTIFICATE,
        /** {@code ptcp:}: the datapath id annotation or the source address; proves nothing. */
        UNAUTHENTICATED
    }

    /**
     * A connected switch; {@code seq} orders connections by arrival (higher = newer); {@code peer} is
     * what its certificate proved (empty without TLS).
     */
    public record Switch<K>(
            K key, DatapathId datapathId, Optional<IpAddress> source, long seq, Optional<PeerIdentity> peer) {
        public Switch {
            Objects.requireNonNull(key);
            Objects.requireNonNull(datapathId);
            Objects.requireNonNull(source);
            Objects.requireNonNull(peer);
        }

        /** A switch without a certificate. */
        public Switch(K key, DatapathId datapathId, Optional<IpAddress> source, long seq) {
            this(key, datapathId, source, seq, Optional.empty());
        }

        String describe() {
            return "switch " + datapathId + source.map(ip -> " from " + ip).orElse("");
        }
    }

    /** What was decided for one switch. */
    public sealed interface Outcome permits Mapped, Held, Refused {
        /** One line for the log. */
        String describe();
    }

    /** The switch is {@code node}'s br-int; {@code via} says why. */
    public record Mapped(String node, String via) implements Outcome {
        @Override
        public String describe() {
            return "is node " + node + " (" + via + ")";
        }
    }

    /** Nothing is written to the switch until the cluster changes; {@code reason} says why and what to fix. */
    public record Held(String reason) implements Outcome {
        @Override
        public String describe() {
            return "held, nothing written: " + reason;
        }
    }

    /** The connection is closed: it contradicts its proof or an established switch. */
    public record Refused(String reason) implements Outcome {
        @Override
        public String describe() {
            return "refused: " + reason;
        }
    }

    /**
     * The outcome of every switch, in the order given.
     *
     * @param incumbents node → the key of the switch that holds it now (from the previous decision)
     */
    public static <K> Map<K, Outcome> resolve(
            Collection<NodeInfo> nodes, Collection<Switch<K>> switches, Map<String, K> incumbents, Proof proof) {
        Cluster cluster = new Cluster(nodes);
        Map<K, Switch<K>> byKey = new HashMap<>();
        switches.forEach(s -> byKey.put(s.key(), s));
        Map<K, Outcome> out = new LinkedHashMap<>();
        for (Switch<K> s : switches) {
            out.put(s.key(), proof == Proof.CERTIFICATE ? cluster.certified(s) : cluster.unauthenticated(s));
        }
        // A datapath id the established switch of one node holds is nobody else's.
        Map<DatapathId, String> heldIds = new HashMap<>();
        incumbents.forEach((node, key) -> {
            Switch<K> s = byKey.get(key);
            if (s != null && out.get(key) instanceof Mapped m && m.node().equals(node)) {
                heldIds.put(s.datapathId(), node);
            }
        });
        Map<String, List<Switch<K>>> byNode = new TreeMap<>();
        for (Switch<K> s : switches) {
            if (!(out.get(s.key()) instanceof Mapped m)) {
                continue;
            }
            String holder = heldIds.get(s.datapathId());
            if (holder != null && !holder.equals(m.node())) {
                out.put(
                        s.key(),
                        new Refused("datapath id " + s.datapathId() + " is held by node " + holder
                                + "'s connected switch; it does not become node " + m.node() + "'s too"));
                continue;
            }
            byNode.computeIfAbsent(m.node(), k -> new ArrayList<>()).add(s);
        }
        byNode.forEach((node, candidates) -> {
            Switch<K> incumbent = Optional.ofNullable(incumbents.get(node))
                    .flatMap(k ->
                            candidates.stream().filter(s -> s.key().equals(k)).findFirst())
                    .orElse(null);
            Switch<K> winner = winner(candidates, incumbent, proof);
            for (Switch<K> s : candidates) {
                if (!s.key().equals(winner.key())) {
                    out.put(s.key(), new Refused(loser(node, s, winner, proof)));
                }
            }
        });
        return out;
    }

    private static <K> Switch<K> winner(List<Switch<K>> candidates, Switch<K> incumbent, Proof proof) {
        Comparator<Switch<K>> bySeq = Comparator.comparingLong(Switch::seq);
        Switch<K> anchor =
                incumbent != null ? incumbent : candidates.stream().min(bySeq).orElseThrow();
        if (proof == Proof.UNAUTHENTICATED) {
            return anchor;
        }
        return candidates.stream()
                .filter(s -> s.datapathId().equals(anchor.datapathId()))
                .max(bySeq)
                .orElseThrow();
    }

    private static <K> String loser(String node, Switch<K> s, Switch<K> winner, Proof proof) {
        if (proof == Proof.CERTIFICATE && s.datapathId().equals(winner.datapathId())) {
            return "superseded by a newer connection of the same switch (" + winner.describe() + ")";
        }
        String why = proof == Proof.CERTIFICATE
                ? "another datapath id with node " + node + "'s certificate; to choose, annotate the node with "
                        + NodeInfo.DATAPATH_ID_ANNOTATION
                : "an unauthenticated connection never displaces an established one; annotate the node with "
                        + NodeInfo.DATAPATH_ID_ANNOTATION + " to choose";
        return "node " + node + " is already " + winner.describe() + " (" + why + ")";
    }

    /** The nodes, indexed for one decision. */
    private static final class Cluster {
        final Set<String> names = new HashSet<>();
        final Map<DatapathId, TreeSet<String>> claims = new HashMap<>();
        final Map<String, Optional<DatapathId>> annotated = new HashMap<>(); // empty: unreadable
        final Map<IpAddress, TreeSet<String>> owners = new HashMap<>();

        Cluster(Collection<NodeInfo> nodes) {
            for (NodeInfo n : nodes) {
                names.add(n.name());
                if (n.datapathIdAnnotation().isPresent()) {
                    try {
                        DatapathId id =
                                DatapathId.parse(n.datapathIdAnnotation().get());
                        claims.computeIfAbsent(id, k -> new TreeSet<>()).add(n.name());
                        annotated.put(n.name(), Optional.of(id));
                    } catch (IllegalArgumentException e) {
                        annotated.put(n.name(), Optional.empty());
                    }
                }
                for (IpAddress a : n.addresses()) {
                    owners.computeIfAbsent(a, k -> new TreeSet<>()).add(n.name());
                }
            }
        }

        <K> Outcome certified(Switch<K> s) {
            if (s.peer().isEmpty()) {
                return new Refused("no TLS certificate (the listener requires one naming the node as "
                        + PeerIdentity.NODE_PREFIX + "<node>)");
            }
            PeerIdentity peer = s.peer().get();
            if (peer.nodes().isEmpty()) {
                return new Refused("its " + peer.describe() + ": a node's certificate has the URI SAN or CN "
                        + PeerIdentity.NODE_PREFIX + "<node> (deploy/pki/ovs-anp-pki.sh node NODE)");
            }
            if (peer.nodes().size() > 1) {
                return new Refused("its " + peer.describe() + ": a certificate must name one node");
            }
            String node = peer.nodes().iterator().next();
            String via = "certificate " + PeerIdentity.NODE_PREFIX + node;
            TreeSet<String> claimants = claims.getOrDefault(s.datapathId(), new TreeSet<>());
            claimants.remove(node);
            if (!claimants.isEmpty()) {
                return new Refused("its certificate names node " + node + " but datapath id " + s.datapathId()
                        + " is node " + String.join(", ", claimants) + "'s (" + NodeInfo.DATAPATH_ID_ANNOTATION
                        + " annotation)");
            }
            if (!names.contains(node)) {
                return new Held("its certificate names node " + node + ", which is not in the cluster (yet)");
            }
            Optional<DatapathId> own = annotated.get(node);
            if (own != null && own.isEmpty()) {
                return new Held(
                        "node " + node + "'s " + NodeInfo.DATAPATH_ID_ANNOTATION + " annotation is not a datapath id");
            }
            if (own != null && !own.get().equals(s.datapathId())) {
                return new Refused("its certificate names node " + node + ", whose "
                        + NodeInfo.DATAPATH_ID_ANNOTATION + " annotation names datapath id " + own.get()
                        + ", not " + s.datapathId());
            }
            return new Mapped(
                    node, own != null ? via + " and " + NodeInfo.DATAPATH_ID_ANNOTATION + " annotation" : via);
        }

        <K> Outcome unauthenticated(Switch<K> s) {
            TreeSet<String> claimants = claims.getOrDefault(s.datapathId(), new TreeSet<>());
            TreeSet<String> fromNodes = s.source().map(owners::get).orElse(new TreeSet<>());
            String from = s.source().map(IpAddress::toString).orElse("an unknown address");
            if (claimants.size() > 1) {
                return new Held("datapath id " + s.datapathId() + " is named by the "
                        + NodeInfo.DATAPATH_ID_ANNOTATION + " annotation of several nodes: "
                        + String.join(", ", claimants));
            }
            if (claimants.size() == 1) {
                String node = claimants.first();
                if (!fromNodes.isEmpty() && !fromNodes.contains(node)) {
                    return new Refused("node " + node + "'s " + NodeInfo.DATAPATH_ID_ANNOTATION
                            + " annotation names datapath id " + s.datapathId() + " but the connection comes from "
                            + from + ", an address of node " + String.join(", ", fromNodes));
                }
                return new Mapped(node, NodeInfo.DATAPATH_ID_ANNOTATION + " annotation");
            }
            if (fromNodes.isEmpty()) {
                return new Held("no node has the annotation " + NodeInfo.DATAPATH_ID_ANNOTATION + "=" + s.datapathId()
                        + " and no node has the address " + from);
            }
            if (fromNodes.size() > 1) {
                return new Held("the source address " + from + " is an address of several nodes: "
                        + String.join(", ", fromNodes) + "; annotate the right one with "
                        + NodeInfo.DATAPATH_ID_ANNOTATION);
            }
            String node = fromNodes.first();
            Optional<DatapathId> own = annotated.get(node);
            if (own != null && own.isEmpty()) {
                return new Held("the source address " + from + " is node " + node + "'s, but its "
                        + NodeInfo.DATAPATH_ID_ANNOTATION + " annotation is not a datapath id");
            }
            if (own != null) {
                return new Refused("the source address " + from + " is node " + node + "'s, but its "
                        + NodeInfo.DATAPATH_ID_ANNOTATION + " annotation names datapath id " + own.get());
            }
            return new Mapped(node, "source address " + from);
        }
    }
}
