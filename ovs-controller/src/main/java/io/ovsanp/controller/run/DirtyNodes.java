package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Decides which nodes a new snapshot makes dirty, by comparing it with the previous one and with what
 * each node's last compile read ({@link NodeInputs}). Conservative by design: a missed recompile
 * would leave stale flows on a switch (a security bug), an extra one only costs time. Namespaces
 * and load diagnostics changing dirty every node; an ANP, BANP or NetworkPolicy that changed
 * (added, edited, deleted) dirties the nodes running its subject pods before or after (a node's
 * flows hold only rules whose subjects run there, so no other node can see it); a Service or EndpointSlice change
 * dirties every node with at least one rule; a pod dirties the nodes it runs (ran) on and those with
 * a pod selection that picks it before or after; a Node dirties the nodes with a node selector that
 * picks it before or after. Not thread-safe: the loop uses it from its own thread.
 *
 * <p>It runs on every API event over the whole cluster (20,000 pods at the scale), so it
 * compares each kind's sorted lists in one merge walk ({@link #diff}), identical instances first (the
 * controller's snapshots share unchanged records and lists), and evaluates selectors only for what
 * changed; the decision is the one of the former map-by-key comparison (DirtyNodesEquivalenceTest).
 */
final class DirtyNodes {
    /** The result of one comparison: every node, or the named ones. */
    record Changes(boolean all, Set<String> nodes) {
        static final Changes ALL = new Changes(true, Set.of());

        boolean affects(String node) {
            return all || nodes.contains(node);
        }
    }

    private ClusterSnapshot last;
    private Selection lastSelection; // of last, if a comparison built it
    private final Map<String, NodeInputs> inputs = new HashMap<>();
    // the pod selections of the recorded inputs and the nodes that use each, kept with inputs (a pod
    // event used to rebuild this from every node's inputs)
    private final Map<Destination.PodSelection, Set<String>> users = new HashMap<>();
    private final Set<String> allPods = new HashSet<>();

    /** Records what {@code node}'s latest compile read. */
    void compiled(String node, NodeInputs in) {
        unindex(node, inputs.put(node, in));
        for (Destination.PodSelection ps : in.podSelections()) {
            users.computeIfAbsent(ps, k -> new HashSet<>()).add(node);
        }
        if (in.allPods()) allPods.add(node);
    }

    void forget(String node) {
        unindex(node, inputs.remove(node));
    }

    private void unindex(String node, NodeInputs old) {
        if (old == null) return;
        for (Destination.PodSelection ps : old.podSelections()) {
            Set<String> nodes = users.get(ps);
            if (nodes != null && nodes.remove(node) && nodes.isEmpty()) users.remove(ps);
        }
        allPods.remove(node);
    }

    /** The nodes {@code next} makes dirty compared with the previous snapshot (all for the first one). */
    @SuppressWarnings("ReferenceEquality") // identity first: unchanged kinds are the same lists
    Changes next(ClusterSnapshot next) {
        ClusterSnapshot prev = last;
        last = next;
        if (prev == null || !prev.loadDiagnostics().equals(next.loadDiagnostics())) {
            lastSelection = null;
            return Changes.ALL;
        }
        // namespace labels derive from the namespaces, the pods and the NetworkPolicies: when none of
        // those lists changed (the same instances), the labels cannot have either
        boolean podsSame = prev.pods() == next.pods();
        Lazy was = new Lazy(prev, lastSelection);
        Lazy is = new Lazy(next, null);
        lastSelection = null;
        if (!(prev.namespaces() == next.namespaces() && podsSame && prev.networkPolicies() == next.networkPolicies())
                && !was.get().namespaceLabels().equals(is.get().namespaceLabels())) {
            return Changes.ALL;
        }
        Set<String> dirty = new TreeSet<>();
        policiesChanged(prev, next, was, is, dirty);
        if (!prev.services().equals(next.services()) || !prev.endpointSlices().equals(next.endpointSlices())) {
            inputs.forEach((node, in) -> {
                if (in.anyRule()) dirty.add(node);
            });
        }
        nodesChanged(prev, next, dirty);
        if (!podsSame) {
            podsChanged(prev, next, was, is, dirty);
        }
        lastSelection = is.selection; // the next call's previous snapshot: built at most once
        return new Changes(false, dirty);
    }

    /** A snapshot's {@link Selection}, built on first use (it reads every pod's namespace). */
    private static final class Lazy {
        private final ClusterSnapshot snapshot;
        private Selection selection;

        Lazy(ClusterSnapshot snapshot, Selection built) {
            this.snapshot = snapshot;
            this.selection = built;
        }

        Selection get() {
            if (selection == null) selection = new Selection(snapshot);
            return selection;
        }
    }

    /** {@link ClusterSnapshot#diffSorted}, every difference reported. */
    static <T> void diff(List<T> before, List<T> after, Comparator<? super T> order, BiConsumer<T, T> changed) {
        ClusterSnapshot.diffSorted(before, after, order, (o, x) -> {
            changed.accept(o, x);
            return true;
        });
    }

    /** Nodes running a subject pod of a changed policy, in the old or the new version. */
    @SuppressWarnings("ReferenceEquality")
    private static void policiesChanged(
            ClusterSnapshot prev, ClusterSnapshot next, Lazy was, Lazy is, Set<String> dirty) {
        if (prev.adminPolicies() != next.adminPolicies()
                && (duplicateKeys(prev.adminPolicies()) || duplicateKeys(next.adminPolicies()))) {
            // two objects under one name (cannot happen with a real API server): do not guess
            next.nodeNames().forEach(dirty::add);
            prev.nodeNames().forEach(dirty::add);
        }
        diff(prev.adminPolicies(), next.adminPolicies(), ClusterSnapshot.ADMIN_POLICY_ORDER, (o, n) -> {
            if (o != null) was.get().subjects(o.subject()).forEach(pod -> addNode(dirty, pod));
            if (n != null) is.get().subjects(n.subject()).forEach(pod -> addNode(dirty, pod));
        });
        diff(prev.networkPolicies(), next.networkPolicies(), ClusterSnapshot.NETWORK_POLICY_ORDER, (o, n) -> {
            if (o != null) npSubjects(prev, o, dirty);
            if (n != null) npSubjects(next, n, dirty);
        });
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

    private void nodesChanged(ClusterSnapshot prev, ClusterSnapshot next, Set<String> dirty) {
        diff(prev.nodes(), next.nodes(), ClusterSnapshot.NODE_ORDER, (o, n) -> {
            dirty.add(o != null ? o.name() : n.name());
            inputs.forEach((node, in) -> {
                for (LabelSelector s : in.nodeSelectors()) {
                    if ((o != null && s.matches(o.labels())) || (n != null && s.matches(n.labels()))) {
                        dirty.add(node);
                        return;
                    }
                }
            });
        });
    }

    private void podsChanged(ClusterSnapshot prev, ClusterSnapshot next, Lazy was, Lazy is, Set<String> dirty) {
        List<PodInfo[]> changed = new ArrayList<>();
        diff(prev.pods(), next.pods(), ClusterSnapshot.POD_ORDER, (o, n) -> changed.add(new PodInfo[] {o, n}));
        if (changed.isEmpty()) {
            return; // equal lists, other instances
        }
        dirty.addAll(allPods);
        for (PodInfo[] c : changed) {
            PodInfo o = c[0];
            PodInfo n = c[1];
            if (o != null && !o.nodeName().isEmpty()) dirty.add(o.nodeName());
            if (n != null && !n.nodeName().isEmpty()) dirty.add(n.nodeName());
            users.forEach((ps, nodes) -> {
                if ((o != null && was.get().podMatches(o, ps.namespaceSelector(), ps.podSelector()))
                        || (n != null && is.get().podMatches(n, ps.namespaceSelector(), ps.podSelector()))) {
                    dirty.addAll(nodes);
                }
            });
        }
    }
}
