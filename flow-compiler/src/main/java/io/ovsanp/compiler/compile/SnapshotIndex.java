package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.CidrSet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.EffectiveRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every node's compile of one snapshot shares: destinations resolved to pods and addresses
 * (they do not depend on the node), each node's pods, the namespace labels, and the node-independent
 * half of every rule ({@link RuleShapes}). A controller compiles hundreds of nodes from one snapshot;
 * without this each compile evaluated every pod selector over every pod again (half of the loop's CPU
 * in a 1,000-node profile, docs/benchmarks.md).
 *
 * <p>Successive snapshots differ in a few objects, so a new index starts from the previous one
 * ({@link SnapshotDelta}): a destination that no changed pod matches, before or after, keeps its
 * resolved pods and addresses (the same list instances), and one that a changed pod matches is
 * patched instead of re-evaluated over every pod. Identity of those lists is what lets a rule keep its
 * shape, and a node's {@link CompileMemo} its flows, without comparing them.
 *
 * <p>The snapshot is immutable and the index a pure function of it (the previous index only saves
 * work), so sharing is safe; lookups are thread-safe (nodes compile in parallel). Who keeps an index
 * and its predecessor is the caller's business: a {@link CompileSession} holds the current one.
 */
final class SnapshotIndex {
    private final ClusterSnapshot snapshot;
    private final Selection selection;
    private final Map<String, List<PodInfo>> podsByNode;
    /**
     * Nodes whose pods changed since {@link #podsByNode} was built, with their pods (empty: none
     * left): a pod event copies this small map, not one entry per node.
     */
    private final Map<String, List<PodInfo>> podsByNodeChanged;

    private final List<PodInfo> allPods;
    /** Pods (any, host-network included) per spec.nodeName, and the node names; see {@link #nodeNames}. */
    private final Map<String, Integer> podsPerNode;

    private final List<String> nodeNames;
    private final Map<Destination, List<Cidr>> cidrs = new ConcurrentHashMap<>();
    private final Map<Destination, List<PodInfo>> pods = new ConcurrentHashMap<>();
    private final Map<ServiceVips, RuleShapes> shapes = new ConcurrentHashMap<>();
    /** Per destination and family: its addresses aggregated into the fewest prefixes. */
    private final Map<Destination, Map<IpFamily, List<Cidr>>> aggregated = new ConcurrentHashMap<>();
    /** The {@code nw_dst}/{@code ipv6_dst} match of each destination prefix a shape used. */
    private final Map<Cidr, Match> destinationMatches = new ConcurrentHashMap<>();

    private final Map<Cidr, Match> sourceMatches = new ConcurrentHashMap<>();

    private final FlowInterner interner = new FlowInterner();
    /** What changed since the previous snapshot's index; dropped once a newer index exists. */
    private volatile SnapshotDelta delta;

    /** The index this one started from; empty when there is none or a newer index exists. */
    java.util.Optional<SnapshotIndex> previous() {
        SnapshotDelta d = delta;
        return d == null ? java.util.Optional.empty() : java.util.Optional.of(d.previous());
    }

    private SnapshotIndex(ClusterSnapshot snapshot, SnapshotIndex previous, ClusterChange change) {
        this.snapshot = snapshot;
        SnapshotDelta d = previous == null ? null : SnapshotDelta.of(previous, snapshot, change);
        this.delta = d;
        this.podsPerNode = d == null ? countPods(snapshot.pods()) : recount(previous.podsPerNode, change);
        this.nodeNames = d == null || !sameNames(previous, change, podsPerNode)
                ? names(snapshot, podsPerNode)
                : previous.nodeNames;
        this.selection = d != null && d.namespaceLabelsUnchanged()
                ? new Selection(snapshot, previous.selection.namespaceLabels())
                : new Selection(snapshot);
        if (d != null && d.podsChanged() == 0) {
            this.podsByNode = previous.podsByNode;
            this.podsByNodeChanged = previous.podsByNodeChanged;
            this.allPods = previous.allPods;
        } else if (d != null && d.podsChanged() > 0) {
            Map<String, List<PodInfo>> changed = new HashMap<>(previous.podsByNodeChanged);
            changed.putAll(d.podsOfChangedNodes(previous::localPods));
            if (changed.size() <= MAX_CHANGED_NODES) {
                this.podsByNode = previous.podsByNode;
                this.podsByNodeChanged = Map.copyOf(changed);
            } else {
                Map<String, List<PodInfo>> all = new HashMap<>(previous.podsByNode);
                changed.forEach((n, ps) -> {
                    if (ps.isEmpty()) all.remove(n);
                    else all.put(n, ps);
                });
                this.podsByNode = all;
                this.podsByNodeChanged = Map.of();
            }
            this.allPods = d.patchAllPods(previous.allPods);
        } else {
            Map<String, List<PodInfo>> byNode = new HashMap<>();
            List<PodInfo> all = new ArrayList<>();
            for (PodInfo p : snapshot.pods()) {
                if (p.hostNetwork()) continue;
                all.add(p);
                byNode.computeIfAbsent(p.nodeName(), n -> new ArrayList<>()).add(p);
            }
            Map<String, List<PodInfo>> frozen = new HashMap<>();
            byNode.forEach((n, ps) -> frozen.put(n, List.copyOf(ps)));
            this.podsByNode = frozen;
            this.podsByNodeChanged = Map.of();
            this.allPods = List.copyOf(all);
        }
    }

    /** Beyond this many nodes with changed pods, the pods-by-node map is rebuilt with them. */
    private static final int MAX_CHANGED_NODES = 64;

    /** The index of {@code snapshot}, built from scratch. */
    static SnapshotIndex of(ClusterSnapshot snapshot) {
        return new SnapshotIndex(snapshot, null, ClusterChange.EVERYTHING);
    }

    /**
     * The index of {@code next}, carrying over from this one what {@code change} (from this index's
     * snapshot to {@code next}) leaves valid. This index then forgets its own predecessor, so at most
     * one older index stays alive.
     */
    SnapshotIndex next(ClusterSnapshot next, ClusterChange change) {
        SnapshotIndex out = change.everything() ? of(next) : new SnapshotIndex(next, this, change);
        delta = null;
        return out;
    }

    /**
     * Node names known from Node objects and from pods' spec.nodeName, sorted (as {@link
     * ClusterSnapshot#nodeNames()}): kept from the previous index when a change moved no name.
     */
    List<String> nodeNames() {
        return nodeNames;
    }

    private static Map<String, Integer> countPods(List<PodInfo> pods) {
        Map<String, Integer> out = new HashMap<>();
        for (PodInfo p : pods) {
            if (!p.nodeName().isEmpty()) out.merge(p.nodeName(), 1, Integer::sum);
        }
        return out;
    }

    private static Map<String, Integer> recount(Map<String, Integer> was, ClusterChange change) {
        if (change.pods().isEmpty()) {
            return was;
        }
        Map<String, Integer> out = new HashMap<>(was);
        for (PodInfo o : change.pods().left()) {
            if (!o.nodeName().isEmpty()) out.merge(o.nodeName(), -1, (a, b) -> a + b == 0 ? null : a + b);
        }
        for (PodInfo n : change.pods().came()) {
            if (!n.nodeName().isEmpty()) out.merge(n.nodeName(), 1, Integer::sum);
        }
        return out;
    }

    /** Whether the node names cannot have moved: no Node changed and pods ran on the same set of nodes. */
    private static boolean sameNames(SnapshotIndex previous, ClusterChange change, Map<String, Integer> now) {
        return change.nodes().isEmpty()
                && (now == previous.podsPerNode || now.keySet().equals(previous.podsPerNode.keySet()));
    }

    private static List<String> names(ClusterSnapshot snapshot, Map<String, Integer> podsPerNode) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(podsPerNode.keySet());
        snapshot.nodes().forEach(n -> names.add(n.name()));
        return List.copyOf(names);
    }

    ClusterSnapshot snapshot() {
        return snapshot;
    }

    Selection selection() {
        return selection;
    }

    /** Equal flow parts of this snapshot's compiles, kept once. */
    FlowInterner interner() {
        return interner;
    }

    /** The node-independent half of rules compiled with {@code vips}. */
    RuleShapes shapes(ServiceVips vips) {
        return shapes.computeIfAbsent(vips, v -> {
            SnapshotDelta d = delta;
            RuleShapes before = d == null ? null : d.previous().shapes.get(v);
            return RuleShapes.of(this, v, before, d);
        });
    }

    /** The shapes of rules compiled with {@code vips} so far; null if none was asked for. */
    RuleShapes existingShapes(ServiceVips vips) {
        return shapes.get(vips);
    }

    /** The node's pods that can be subjects (not host-network), in snapshot order. */
    List<PodInfo> localPods(String node) {
        List<PodInfo> changed = podsByNodeChanged.get(node);
        return changed != null ? changed : podsByNode.getOrDefault(node, List.of());
    }

    /** Every non-host-network pod (named-port targets of a rule with any destination). */
    List<PodInfo> allPods() {
        return allPods;
    }

    /** The pods a destination selects (empty for nodes and CIDRs: names cannot resolve there). */
    List<PodInfo> pods(Destination d) {
        if (d instanceof Destination.PodSelection ps) {
            return pods.computeIfAbsent(d, k -> {
                SnapshotDelta dl = delta;
                if (dl != null) {
                    List<PodInfo> before = dl.previous().pods.get(d);
                    if (before != null) {
                        return dl.patch(before, ps, selection);
                    }
                }
                return selection.pods(ps.namespaceSelector(), ps.podSelector());
            });
        }
        return List.of();
    }

    /** Every address the destination covers: pod IPs and node addresses as host routes, or CIDRs. */
    List<Cidr> cidrs(Destination d) {
        return cidrs.computeIfAbsent(d, this::resolve);
    }

    /**
     * {@link #cidrs} of family {@code f} aggregated ({@link CidrSet#aggregate}): computed once per
     * snapshot, and carried over while the destination's addresses are the same list.
     */
    @SuppressWarnings("ReferenceEquality") // a carried-over address list
    List<Cidr> aggregated(Destination d, IpFamily f) {
        Map<IpFamily, List<Cidr>> byFamily = aggregated.computeIfAbsent(d, k -> {
            List<Cidr> all = cidrs(d);
            SnapshotDelta dl = delta;
            if (dl != null && dl.previous().cidrs.get(d) == all) {
                Map<IpFamily, List<Cidr>> was = dl.previous().aggregated.get(d);
                if (was != null) return was;
            }
            Map<IpFamily, List<Cidr>> out = new java.util.EnumMap<>(IpFamily.class);
            for (IpFamily fam : IpFamily.values()) {
                List<Cidr> of = new ArrayList<>();
                for (Cidr c : all) {
                    if (c.family() == fam) of.add(c);
                }
                out.put(fam, CidrSet.aggregate(of));
            }
            return out;
        });
        return byFamily.get(f);
    }

    /**
     * The destination match of {@code c}: one instance per prefix while shapes keep using it (kept
     * from the previous snapshot's index), so a shape recomputed for one new pod builds one match,
     * not one per destination.
     */
    Match destinationMatch(Cidr c) {
        Match m = destinationMatches.get(c);
        if (m != null) {
            return m;
        }
        SnapshotDelta dl = delta;
        Match was = dl == null ? null : dl.previous().destinationMatches.get(c);
        m = was != null ? was : Match.destination(c);
        Match had = destinationMatches.putIfAbsent(c, m);
        return had != null ? had : m;
    }

    /** As {@link #destinationMatch}, for the peers of ingress rules: a source address match. */
    Match sourceMatch(Cidr c) {
        Match m = sourceMatches.get(c);
        if (m != null) {
            return m;
        }
        SnapshotDelta dl = delta;
        Match was = dl == null ? null : dl.previous().sourceMatches.get(c);
        m = was != null ? was : Match.source(c);
        Match had = sourceMatches.putIfAbsent(c, m);
        return had != null ? had : m;
    }

    /** Whether {@code d} resolves to the same addresses (the same list) as in the previous snapshot. */
    @SuppressWarnings("ReferenceEquality") // identity is the point: a carried-over list
    boolean unchangedSincePrevious(Destination d) {
        SnapshotDelta dl = delta;
        if (dl == null) {
            return false;
        }
        List<Cidr> before = dl.previous().cidrs.get(d);
        if (before == null || before != cidrs(d)) {
            return false;
        }
        if (d instanceof Destination.PodSelection) {
            List<PodInfo> was = dl.previous().pods.get(d);
            return was != null && was == pods(d);
        }
        return true;
    }

    /** Whether every pod is what it was in the previous snapshot (same list). */
    @SuppressWarnings("ReferenceEquality")
    boolean allPodsUnchangedSincePrevious() {
        SnapshotDelta dl = delta;
        return dl != null && dl.previous().allPods == allPods;
    }

    /** A destination pod and those of its addresses where the rule's named ports resolve. */
    record NamedPortTarget(PodInfo pod, List<IpAddress> ips) {}

    /**
     * Where a rule's named ports resolve (docs/semantics.md, "Ports"; the evaluator's reading): a
     * non-host-network pod at an address the rule's destinations cover. A pod a {@code pods} or
     * {@code namespaces} peer selects counts with all its addresses; a pod inside a CIDR peer (a
     * NetworkPolicy {@code ipBlock}) with the addresses inside it; every pod when the rule has any
     * destination. An ingress rule's named ports resolve in its subject pods: every pod here, the
     * compile of a node keeps its own subjects among them. In order, each pod once.
     */
    List<NamedPortTarget> namedPortTargets(EffectiveRule rule) {
        if (rule.anyDestination() || rule.ref().ingress()) {
            return allPods.stream().map(p -> new NamedPortTarget(p, p.ips())).toList();
        }
        LinkedHashSet<PodInfo> selected = new LinkedHashSet<>();
        List<Cidr> cidrPeers = new ArrayList<>();
        for (Destination d : rule.destinations()) {
            selected.addAll(pods(d));
            if (d instanceof Destination.Cidrs c) cidrPeers.addAll(c.cidrs());
        }
        List<NamedPortTarget> out = new ArrayList<>();
        for (PodInfo p : selected) out.add(new NamedPortTarget(p, p.ips()));
        if (!cidrPeers.isEmpty()) {
            for (PodInfo p : allPods) {
                if (selected.contains(p)) continue;
                List<IpAddress> inside = p.ips().stream()
                        .filter(ip -> cidrPeers.stream().anyMatch(c -> c.contains(ip)))
                        .toList();
                if (!inside.isEmpty()) out.add(new NamedPortTarget(p, inside));
            }
        }
        return out;
    }

    @SuppressWarnings("ReferenceEquality") // a carried-over pod list keeps its addresses
    private List<Cidr> resolve(Destination d) {
        SnapshotDelta dl = delta;
        List<Cidr> before = dl == null ? null : dl.previous().cidrs.get(d);
        if (before != null) {
            if (d instanceof Destination.Cidrs) {
                return before;
            }
            if (d instanceof Destination.NodeSelection && dl.nodesUnchanged()) {
                return before;
            }
            if (d instanceof Destination.PodSelection && dl.previous().pods.get(d) == pods(d)) {
                return before;
            }
        }
        List<Cidr> out = new ArrayList<>();
        if (d instanceof Destination.PodSelection) {
            for (PodInfo p : pods(d)) {
                for (IpAddress ip : p.ips()) out.add(Cidr.of(ip));
            }
        } else if (d instanceof Destination.NodeSelection ns) {
            for (NodeInfo n : selection.nodes(ns.nodeSelector())) {
                for (IpAddress ip : n.addresses()) out.add(Cidr.of(ip));
            }
        } else if (d instanceof Destination.Cidrs c) {
            out.addAll(c.cidrs());
        } else if (d instanceof Destination.DomainNames) {
            // no address learned from DNS yet: the peer matches nothing on the switch (fail-closed)
            return List.of();
        } else {
            throw new AssertionError(d);
        }
        List<Cidr> fresh = List.copyOf(out);
        return fresh.equals(before) ? before : fresh;
    }
}
