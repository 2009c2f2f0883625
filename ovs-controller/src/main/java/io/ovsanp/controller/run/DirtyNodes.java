package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.ReadSet;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which nodes a new snapshot makes dirty, from the {@link ClusterChange} since the previous
 * one and what each node's last compile read (its {@link ReadSet}). Conservative by design: a missed
 * recompile would leave stale flows on a switch (a security bug), an extra one only costs time.
 * Namespace labels and load diagnostics changing dirty every node; an ANP, BANP or NetworkPolicy that
 * changed (added, edited, deleted) dirties the nodes running its subject pods before or after (a
 * node's flows hold only rules whose subjects run there, so no other node can see it); a Service or
 * EndpointSlice change dirties every node with at least one rule; a pod dirties the nodes it runs (ran)
 * on and those with a pod selection that picks it before or after; a Node dirties itself and the nodes
 * with a node selector that picks it before or after. Only what changed is looked at (a pod event at
 * 20,000 pods evaluates selectors for one pod), and the selections are the compilations' own.
 * Not thread-safe: the loop uses it from its own thread.
 */
final class DirtyNodes {
    /** The result of one comparison: every node, or the named ones. */
    record Changes(boolean all, Set<String> nodes) {
        static final Changes ALL = new Changes(true, Set.of());

        boolean affects(String node) {
            return all || nodes.contains(node);
        }
    }

    private final Map<String, ReadSet> reads = new HashMap<>();
    // the pod selections of the recorded read sets and the nodes that use each, kept with them (a pod
    // event used to rebuild this from every node's read set)
    private final Map<Destination.PodSelection, Set<String>> users = new HashMap<>();
    private final Set<String> allPods = new HashSet<>();

    /** Records what {@code node}'s latest compile read. */
    void compiled(String node, ReadSet read) {
        unindex(node, reads.put(node, read));
        for (Destination.PodSelection ps : read.podSelections()) {
            users.computeIfAbsent(ps, k -> new HashSet<>()).add(node);
        }
        if (read.allPods()) allPods.add(node);
    }

    void forget(String node) {
        unindex(node, reads.remove(node));
    }

    private void unindex(String node, ReadSet old) {
        if (old == null) return;
        for (Destination.PodSelection ps : old.podSelections()) {
            Set<String> nodes = users.get(ps);
            if (nodes != null && nodes.remove(node) && nodes.isEmpty()) users.remove(ps);
        }
        allPods.remove(node);
    }

    /**
     * The nodes {@code next} makes dirty, {@code change} being what changed since {@code previous}
     * (all for the first compilation, or when the change says everything).
     */
    Changes next(Compilation previous, Compilation next, ClusterChange change) {
        if (previous == null || change.everything() || change.loadDiagnosticsChanged()) {
            return Changes.ALL;
        }
        Selection was = previous.selection();
        Selection is = next.selection();
        // namespace labels derive from the namespaces, the pods and the NetworkPolicies: when none of
        // those changed, the labels cannot have either (an index that kept them shares the map)
        boolean labelInputs = !change.namespaces().isEmpty()
                || !change.pods().isEmpty()
                || !change.networkPolicies().isEmpty();
        if (labelInputs && !was.namespaceLabels().equals(is.namespaceLabels())) {
            return Changes.ALL;
        }
        Set<String> dirty = new TreeSet<>();
        if (!change.adminPolicies().isEmpty()
                && (duplicateKeys(previous.snapshot().adminPolicies())
                        || duplicateKeys(next.snapshot().adminPolicies()))) {
            // two objects under one name (cannot happen with a real API server): do not guess
            dirty.addAll(previous.nodeNames());
            dirty.addAll(next.nodeNames());
        }
        change.adminPolicies().forEach(ClusterSnapshot.ADMIN_POLICY_ORDER, (o, n) -> {
            if (o != null) was.subjects(o.subject()).forEach(pod -> addNode(dirty, pod));
            if (n != null) is.subjects(n.subject()).forEach(pod -> addNode(dirty, pod));
        });
        change.networkPolicies().forEach(ClusterSnapshot.NETWORK_POLICY_ORDER, (o, n) -> {
            if (o != null) npSubjects(previous.snapshot(), o, dirty);
            if (n != null) npSubjects(next.snapshot(), n, dirty);
        });
        if (!change.services().isEmpty() || !change.endpointSlices().isEmpty()) {
            reads.forEach((node, r) -> {
                if (r.anyRule()) dirty.add(node);
            });
        }
        change.nodes().forEach(ClusterSnapshot.NODE_ORDER, (o, n) -> {
            dirty.add(o != null ? o.name() : n.name());
            reads.forEach((node, r) -> {
                for (LabelSelector s : r.nodeSelectors()) {
                    if ((o != null && s.matches(o.labels())) || (n != null && s.matches(n.labels()))) {
                        dirty.add(node);
                        return;
                    }
                }
            });
        });
        if (!change.pods().isEmpty()) {
            podsChanged(change, was, is, dirty);
        }
        return new Changes(false, dirty);
    }

    private static boolean duplicateKeys(List<AdminPolicy> policies) {
        Set<String> keys = new HashSet<>();
        for (AdminPolicy p : policies) {
            if (!keys.add(p.tier() + "/" + p.ref().name())) return true;
        }
        return false;
    }

    private static void npSubjects(ClusterSnapshot s, NetworkPolicy np, Set<String> dirty) {
        for (PodInfo pod : s.podsIn(np.namespace())) {
            if (!pod.hostNetwork() && np.podSelector().matches(pod.labels())) {
                addNode(dirty, pod);
            }
        }
    }

    private static void addNode(Set<String> dirty, PodInfo pod) {
        if (!pod.nodeName().isEmpty()) dirty.add(pod.nodeName());
    }

    private void podsChanged(ClusterChange change, Selection was, Selection is, Set<String> dirty) {
        boolean[] any = {false};
        change.pods().forEach(ClusterSnapshot.POD_ORDER, (o, n) -> {
            any[0] = true;
            if (o != null && !o.nodeName().isEmpty()) dirty.add(o.nodeName());
            if (n != null && !n.nodeName().isEmpty()) dirty.add(n.nodeName());
            users.forEach((ps, nodes) -> {
                if ((o != null && was.podMatches(o, ps.namespaceSelector(), ps.podSelector()))
                        || (n != null && is.podMatches(n, ps.namespaceSelector(), ps.podSelector()))) {
                    dirty.addAll(nodes);
                }
            });
        });
        if (any[0]) {
            dirty.addAll(allPods);
        }
    }
}
