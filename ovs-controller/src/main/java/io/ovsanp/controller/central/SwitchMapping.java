package io.ovsanp.controller.central;

import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.controller.openflow.wire.DatapathId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which connected switch is which Node's br-int, decided from scratch for every change (pure, no
 * state). A switch is mapped to node N when
 *
 * <ol>
 *   <li>exactly one node has the annotation {@value NodeInfo#DATAPATH_ID_ANNOTATION} equal to the
 *       switch's datapath id (read with {@link DatapathId#parse}), and the connection's source
 *       address is not an address of another node only; or
 *   <li>no node has that annotation value, the source address is an address of exactly one node,
 *       N, and N has no annotation (a valid one naming another datapath id, or an unreadable one,
 *       says this switch is not N's br-int);
 * </ol>
 *
 * and no other switch maps to N. Everything else is held: the connection stays open and nothing is
 * written to it, so one node's flows never reach another node's switch. Of several connections with
 * the same datapath id from the same address only the newest counts (a switch that reconnected
 * before its old socket was known dead); the others are held as superseded.
 */
public final class SwitchMapping {
    private SwitchMapping() {}

    /** A connected switch; {@code seq} orders connections by arrival (higher = newer). */
    public record Switch<K>(K key, DatapathId datapathId, Optional<IpAddress> source, long seq) {
        public Switch {
            Objects.requireNonNull(key);
            Objects.requireNonNull(datapathId);
            Objects.requireNonNull(source);
        }

        String describe() {
            return "switch " + datapathId + source.map(ip -> " from " + ip).orElse("");
        }
    }

    /** What was decided for one switch. */
    public sealed interface Outcome permits Mapped, Held {
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

    /** Nothing is written to the switch; {@code reason} says why and what to fix. */
    public record Held(String reason) implements Outcome {
        @Override
        public String describe() {
            return "held, nothing written: " + reason;
        }
    }

    /** The outcome of every switch, in the order given. */
    public static <K> Map<K, Outcome> resolve(Collection<NodeInfo> nodes, Collection<Switch<K>> switches) {
        Map<DatapathId, TreeSet<String>> claims = new HashMap<>();
        Map<String, Optional<DatapathId>> annotated = new HashMap<>(); // empty: unreadable annotation
        Map<IpAddress, TreeSet<String>> owners = new HashMap<>();
        for (NodeInfo n : nodes) {
            if (n.datapathIdAnnotation().isPresent()) {
                try {
                    DatapathId id = DatapathId.parse(n.datapathIdAnnotation().get());
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

        Map<K, Outcome> out = new LinkedHashMap<>();
        Map<String, Switch<K>> newest = new HashMap<>();
        for (Switch<K> s : switches) {
            newest.merge(s.datapathId() + "|" + s.source(), s, (a, b) -> a.seq() >= b.seq() ? a : b);
        }
        Map<String, List<Switch<K>>> byNode = new TreeMap<>();
        for (Switch<K> s : switches) {
            out.put(s.key(), null);
            if (newest.get(s.datapathId() + "|" + s.source()).seq() != s.seq()) {
                out.put(
                        s.key(),
                        new Held("superseded by a newer connection of the same datapath id from the same address"));
                continue;
            }
            Outcome o = candidate(s, claims, annotated, owners);
            out.put(s.key(), o);
            if (o instanceof Mapped m) {
                byNode.computeIfAbsent(m.node(), k -> new ArrayList<>()).add(s);
            }
        }
        for (Map.Entry<String, List<Switch<K>>> e : byNode.entrySet()) {
            if (e.getValue().size() > 1) {
                String all =
                        e.getValue().stream().map(Switch::describe).sorted().collect(Collectors.joining(", "));
                for (Switch<K> s : e.getValue()) {
                    out.put(
                            s.key(),
                            new Held("several switches map to node " + e.getKey() + " (" + all + "); annotate the node"
                                    + " with " + NodeInfo.DATAPATH_ID_ANNOTATION + " naming its br-int"));
                }
            }
        }
        return out;
    }

    private static <K> Outcome candidate(
            Switch<K> s,
            Map<DatapathId, TreeSet<String>> claims,
            Map<String, Optional<DatapathId>> annotated,
            Map<IpAddress, TreeSet<String>> owners) {
        TreeSet<String> claimants = claims.getOrDefault(s.datapathId(), new TreeSet<>());
        TreeSet<String> fromNodes = s.source().map(owners::get).orElse(new TreeSet<>());
        String from = s.source().map(IpAddress::toString).orElse("an unknown address");
        if (claimants.size() > 1) {
            return new Held("datapath id " + s.datapathId() + " is named by the " + NodeInfo.DATAPATH_ID_ANNOTATION
                    + " annotation of several nodes: " + String.join(", ", claimants));
        }
        if (claimants.size() == 1) {
            String node = claimants.first();
            if (!fromNodes.isEmpty() && !fromNodes.contains(node)) {
                return new Held("node " + node + "'s " + NodeInfo.DATAPATH_ID_ANNOTATION + " annotation names datapath"
                        + " id " + s.datapathId() + " but the connection comes from " + from + ", an address of node "
                        + String.join(", ", fromNodes));
            }
            return new Mapped(node, NodeInfo.DATAPATH_ID_ANNOTATION + " annotation");
        }
        if (fromNodes.isEmpty()) {
            return new Held("no node has the annotation " + NodeInfo.DATAPATH_ID_ANNOTATION + "=" + s.datapathId()
                    + " and no node has the address " + from);
        }
        if (fromNodes.size() > 1) {
            return new Held(
                    "the source address " + from + " is an address of several nodes: " + String.join(", ", fromNodes)
                            + "; annotate the right one with " + NodeInfo.DATAPATH_ID_ANNOTATION);
        }
        String node = fromNodes.first();
        Optional<DatapathId> own = annotated.get(node);
        if (own != null && own.isEmpty()) {
            return new Held("the source address " + from + " is node " + node + "'s, but its "
                    + NodeInfo.DATAPATH_ID_ANNOTATION + " annotation is not a datapath id");
        }
        if (own != null) {
            return new Held("the source address " + from + " is node " + node + "'s, but its "
                    + NodeInfo.DATAPATH_ID_ANNOTATION + " annotation names datapath id " + own.get());
        }
        return new Mapped(node, "source address " + from);
    }
}
