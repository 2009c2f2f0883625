package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.NetworkPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed from the previous index's snapshot to a new one, read from the {@link ClusterChange}
 * between them (the controller's informers report it; a walk finds it otherwise). A {@link
 * SnapshotIndex} uses it to carry resolved destinations over instead of
 * evaluating every selector over every pod again. Conservative: when namespace labels changed (a label
 * change can move any pod in or out of a selection; an implicit namespace comes or goes with its pods)
 * or too many pods changed, nothing is patched.
 */
final class SnapshotDelta {
    /** Beyond this many changed pods, selections are evaluated afresh (patching costs per destination). */
    static final int MAX_PATCHED_PODS = 256;

    private final SnapshotIndex previous;
    private final boolean nodesUnchanged;
    private final boolean servicesUnchanged;
    /** Changed pods, old versions (absent when added) and new versions (absent when removed). */
    private final List<PodInfo> before = new ArrayList<>();

    private final List<PodInfo> after = new ArrayList<>();
    private final Set<String> changedKeys = new HashSet<>();
    private final boolean tooMany;
    private final boolean namespaceLabelsUnchanged;

    private SnapshotDelta(SnapshotIndex previous, ClusterSnapshot next, ClusterChange change) {
        this.previous = previous;
        boolean namespacesUnchanged = change.namespaces().isEmpty();
        this.nodesUnchanged = change.nodes().isEmpty();
        this.servicesUnchanged =
                change.services().isEmpty() && change.endpointSlices().isEmpty();
        for (PodInfo o : change.pods().left()) {
            before.add(o);
            changedKeys.add(o.key());
        }
        for (PodInfo n : change.pods().came()) {
            after.add(n);
            changedKeys.add(n.key());
        }
        this.tooMany = changedKeys.size() > MAX_PATCHED_PODS;
        this.namespaceLabelsUnchanged = namespacesUnchanged && !tooMany && implicitNamespacesKnown(previous, next);
    }

    /**
     * Namespaces without a Namespace object exist implicitly when a pod or NetworkPolicy is in them
     * ({@link ClusterSnapshot#namespaceLabels()}): the previous labels still hold when every changed
     * pod's and every NetworkPolicy's namespace was known before (the Namespace objects being equal).
     */
    private boolean implicitNamespacesKnown(SnapshotIndex previous, ClusterSnapshot next) {
        Map<String, Map<String, String>> known = previous.selection().namespaceLabels();
        for (PodInfo p : before) {
            if (!known.containsKey(p.namespace())) return false;
        }
        for (PodInfo p : after) {
            if (!known.containsKey(p.namespace())) return false;
        }
        for (NetworkPolicy np : next.networkPolicies()) {
            if (!known.containsKey(np.namespace())) return false;
        }
        // A removed pod may have been the last one in an implicit namespace: then it must go.
        Set<String> explicit = new HashSet<>();
        next.namespaces().forEach(n -> explicit.add(n.name()));
        for (PodInfo p : before) {
            if (!explicit.contains(p.namespace())) return false;
        }
        return true;
    }

    /** Whether the previous snapshot's namespace labels (implicit namespaces included) still hold. */
    boolean namespaceLabelsUnchanged() {
        return namespaceLabelsUnchanged;
    }

    /** The pods (not host-network) of every node a changed pod is or was on, given each node's previous ones. */
    Map<String, List<PodInfo>> podsOfChangedNodes(java.util.function.Function<String, List<PodInfo>> was) {
        Map<String, List<PodInfo>> out = new HashMap<>();
        Set<String> nodes = new HashSet<>();
        before.forEach(p -> nodes.add(p.nodeName()));
        after.forEach(p -> nodes.add(p.nodeName()));
        for (String node : nodes) {
            List<PodInfo> adds = new ArrayList<>();
            for (PodInfo p : after) {
                if (p.nodeName().equals(node) && !p.hostNetwork()) adds.add(p);
            }
            out.put(node, patchSorted(was.apply(node), adds));
        }
        return out;
    }

    /** The previous non-host-network pods with the changed ones patched in. */
    List<PodInfo> patchAllPods(List<PodInfo> was) {
        List<PodInfo> adds = new ArrayList<>();
        for (PodInfo p : after) {
            if (!p.hostNetwork()) adds.add(p);
        }
        return patchSorted(was, adds);
    }

    /**
     * {@code was} (in snapshot order) without any pod that changed, by namespace and name, plus
     * {@code adds} (new versions of changed pods), in snapshot order: a few binary searches instead
     * of a walk over every pod.
     */
    private List<PodInfo> patchSorted(List<PodInfo> was, List<PodInfo> adds) {
        List<PodInfo> out = new ArrayList<>(was);
        for (PodInfo o : before) removeByKey(out, o);
        for (PodInfo n : after) removeByKey(out, n);
        for (PodInfo n : adds) {
            int at = Collections.binarySearch(out, n, ClusterSnapshot.POD_ORDER);
            out.add(at < 0 ? -at - 1 : at, n);
        }
        return List.copyOf(out);
    }

    private static void removeByKey(List<PodInfo> sorted, PodInfo p) {
        int at = Collections.binarySearch(sorted, p, ClusterSnapshot.POD_ORDER);
        if (at >= 0) sorted.remove(at);
    }

    /**
     * The delta from {@code previous}'s snapshot to {@code next}, given what changed between them
     * (not {@link ClusterChange#everything()}).
     */
    static SnapshotDelta of(SnapshotIndex previous, ClusterSnapshot next, ClusterChange change) {
        if (change.everything()) {
            throw new IllegalArgumentException("a delta needs a known previous snapshot");
        }
        return new SnapshotDelta(previous, next, change);
    }

    SnapshotIndex previous() {
        return previous;
    }

    boolean nodesUnchanged() {
        return nodesUnchanged;
    }

    boolean servicesUnchanged() {
        return servicesUnchanged;
    }

    /** Pods added, removed or changed; -1 when too many to tell (more than the patch limit). */
    int podsChanged() {
        return tooMany ? -1 : changedKeys.size();
    }

    /**
     * The pods {@code ps} selects in the new snapshot, given {@code was}, what it selected in the
     * previous one: {@code was} itself when no changed pod matches, before or after; else {@code was}
     * without the changed pods plus the new versions that match, in snapshot order.
     */
    List<PodInfo> patch(List<PodInfo> was, Destination.PodSelection ps, Selection selection) {
        if (!namespaceLabelsUnchanged) {
            return selection.pods(ps.namespaceSelector(), ps.podSelector());
        }
        // Namespace labels (implicit namespaces included) are unchanged, so the new snapshot's selection
        // judges old pods as the old one did.
        boolean touched = false;
        for (PodInfo o : before) touched |= selection.podMatches(o, ps.namespaceSelector(), ps.podSelector());
        List<PodInfo> matching = new ArrayList<>();
        for (PodInfo n : after) {
            if (selection.podMatches(n, ps.namespaceSelector(), ps.podSelector())) matching.add(n);
        }
        if (!touched && matching.isEmpty()) {
            return was;
        }
        return patchSorted(was, matching);
    }
}
