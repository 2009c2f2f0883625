package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.EffectiveRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every node's compile of one snapshot shares: destinations resolved to pods and addresses
 * (they do not depend on the node), each node's pods, the namespace labels. A controller compiles
 * hundreds of nodes from one snapshot; without this each compile evaluated every pod selector over
 * every pod again (half of the loop's CPU in a 1,000-node profile, docs/benchmarks.md).
 *
 * <p>The snapshot is immutable and the index a pure function of it, so sharing is safe; lookups are
 * thread-safe (nodes compile in parallel). {@link #of} keeps the index of the last snapshot it was
 * asked for, by identity.
 */
public final class SnapshotIndex {
    private static final AtomicReference<SnapshotIndex> LAST = new AtomicReference<>();

    /**
     * Benchmarks only (LoopBench's baseline): with this system property true every compile builds
     * its own index, as before the index was shared.
     */
    public static final String UNSHARED_PROPERTY = "ovsanp.bench.unsharedIndex";

    private final ClusterSnapshot snapshot;
    private final Selection selection;
    private final Map<String, List<PodInfo>> podsByNode;
    private final List<PodInfo> allPods;
    private final Map<Destination, List<Cidr>> cidrs = new ConcurrentHashMap<>();
    private final Map<Destination, List<PodInfo>> pods = new ConcurrentHashMap<>();
    private final FlowInterner interner = new FlowInterner();

    private SnapshotIndex(ClusterSnapshot snapshot) {
        this.snapshot = snapshot;
        this.selection = new Selection(snapshot);
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
        this.allPods = List.copyOf(all);
    }

    /** The index of {@code snapshot}: the last one built when it is for the same snapshot instance. */
    @SuppressWarnings("ReferenceEquality") // identity on purpose: a record's equals would walk 20k pods
    static SnapshotIndex of(ClusterSnapshot snapshot) {
        if (Boolean.getBoolean(UNSHARED_PROPERTY)) {
            return new SnapshotIndex(snapshot);
        }
        SnapshotIndex last = LAST.get();
        if (last != null && last.snapshot == snapshot) {
            return last;
        }
        SnapshotIndex fresh = new SnapshotIndex(snapshot);
        LAST.set(fresh);
        return fresh;
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

    /** The node's pods that can be subjects (not host-network), in snapshot order. */
    List<PodInfo> localPods(String node) {
        return podsByNode.getOrDefault(node, List.of());
    }

    /** Every non-host-network pod (named-port targets of a rule with any destination). */
    List<PodInfo> allPods() {
        return allPods;
    }

    /** The pods a destination selects (empty for nodes and CIDRs: names cannot resolve there). */
    List<PodInfo> pods(Destination d) {
        if (d instanceof Destination.PodSelection ps) {
            return pods.computeIfAbsent(d, k -> selection.pods(ps.namespaceSelector(), ps.podSelector()));
        }
        return List.of();
    }

    /** Every address the destination covers: pod IPs and node addresses as host routes, or CIDRs. */
    List<Cidr> cidrs(Destination d) {
        return cidrs.computeIfAbsent(d, this::resolve);
    }

    /**
     * The pods a rule's destinations select, in order, each once: where its named ports resolve
     * (every pod when the rule has any destination).
     */
    Collection<PodInfo> destinationPods(EffectiveRule rule) {
        if (rule.anyDestination()) {
            return allPods;
        }
        LinkedHashSet<PodInfo> out = new LinkedHashSet<>();
        for (Destination d : rule.destinations()) out.addAll(pods(d));
        return out;
    }

    private List<Cidr> resolve(Destination d) {
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
        } else {
            throw new AssertionError(d);
        }
        return List.copyOf(out);
    }
}
