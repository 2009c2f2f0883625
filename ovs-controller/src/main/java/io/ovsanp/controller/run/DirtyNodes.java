package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

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
    private final Map<String, NodeInputs> inputs = new HashMap<>();

    /** Records what {@code node}'s latest compile read. */
    void compiled(String node, NodeInputs in) {
        inputs.put(node, in);
    }

    void forget(String node) {
        inputs.remove(node);
    }

    /** The nodes {@code next} makes dirty compared with the previous snapshot (all for the first one). */
    Changes next(ClusterSnapshot next) {
        ClusterSnapshot prev = last;
        last = next;
        if (prev == null
                || !prev.loadDiagnostics().equals(next.loadDiagnostics())
                || !prev.namespaceLabels().equals(next.namespaceLabels())) {
            return Changes.ALL;
        }
        Set<String> dirty = new TreeSet<>();
        if (!prev.adminPolicies().equals(next.adminPolicies())
                || !prev.networkPolicies().equals(next.networkPolicies())) {
            policiesChanged(prev, next, dirty);
        }
        if (!prev.services().equals(next.services()) || !prev.endpointSlices().equals(next.endpointSlices())) {
            inputs.forEach((node, in) -> {
                if (in.anyRule()) dirty.add(node);
            });
        }
        if (!prev.nodes().equals(next.nodes())) {
            nodesChanged(prev, next, dirty);
        }
        if (!prev.pods().equals(next.pods())) {
            podsChanged(prev, next, dirty);
        }
        return new Changes(false, dirty);
    }

    /** Nodes running a subject pod of a changed policy, in the old or the new version. */
    private static void policiesChanged(ClusterSnapshot prev, ClusterSnapshot next, Set<String> dirty) {
        Selection was = new Selection(prev);
        Selection is = new Selection(next);
        Map<String, AdminPolicy> oldAdmin = byKey(prev.adminPolicies().stream(), DirtyNodes::key);
        Map<String, AdminPolicy> newAdmin = byKey(next.adminPolicies().stream(), DirtyNodes::key);
        if (oldAdmin.size() != prev.adminPolicies().size()
                || newAdmin.size() != next.adminPolicies().size()) {
            // two objects under one key (cannot happen with a real API server): do not guess
            next.nodeNames().forEach(dirty::add);
            prev.nodeNames().forEach(dirty::add);
            return;
        }
        Set<String> keys = new HashSet<>(oldAdmin.keySet());
        keys.addAll(newAdmin.keySet());
        for (String k : keys) {
            AdminPolicy o = oldAdmin.get(k);
            AdminPolicy n = newAdmin.get(k);
            if (Objects.equals(o, n)) continue;
            if (o != null) was.subjects(o.subject()).forEach(pod -> addNode(dirty, pod));
            if (n != null) is.subjects(n.subject()).forEach(pod -> addNode(dirty, pod));
        }
        Map<String, NetworkPolicy> oldNp = byKey(prev.networkPolicies().stream(), DirtyNodes::key);
        Map<String, NetworkPolicy> newNp = byKey(next.networkPolicies().stream(), DirtyNodes::key);
        Set<String> npKeys = new HashSet<>(oldNp.keySet());
        npKeys.addAll(newNp.keySet());
        for (String k : npKeys) {
            NetworkPolicy o = oldNp.get(k);
            NetworkPolicy n = newNp.get(k);
            if (Objects.equals(o, n)) continue;
            if (o != null) npSubjects(prev, o, dirty);
            if (n != null) npSubjects(next, n, dirty);
        }
    }

    private static void npSubjects(ClusterSnapshot s, NetworkPolicy np, Set<String> dirty) {
        for (PodInfo pod : s.pods()) {
            if (!pod.hostNetwork()
                    && pod.namespace().equals(np.namespace())
                    && np.podSelector().matches(pod.labels())) {
                addNode(dirty, pod);
            }
        }
    }

    private static void addNode(Set<String> dirty, PodInfo pod) {
        if (!pod.nodeName().isEmpty()) dirty.add(pod.nodeName());
    }

    private static String key(AdminPolicy p) {
        return p.tier() + "/" + p.ref().name();
    }

    private static String key(NetworkPolicy p) {
        return p.ref().namespace() + "/" + p.ref().name();
    }

    private void nodesChanged(ClusterSnapshot prev, ClusterSnapshot next, Set<String> dirty) {
        Map<String, NodeInfo> before = byKey(prev.nodes().stream(), NodeInfo::name);
        Map<String, NodeInfo> after = byKey(next.nodes().stream(), NodeInfo::name);
        Set<String> names = new HashSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            NodeInfo o = before.get(name);
            NodeInfo n = after.get(name);
            if (Objects.equals(o, n)) continue;
            dirty.add(name);
            inputs.forEach((node, in) -> {
                for (LabelSelector s : in.nodeSelectors()) {
                    if ((o != null && s.matches(o.labels())) || (n != null && s.matches(n.labels()))) {
                        dirty.add(node);
                        return;
                    }
                }
            });
        }
    }

    private void podsChanged(ClusterSnapshot prev, ClusterSnapshot next, Set<String> dirty) {
        Map<String, PodInfo> before = byKey(prev.pods().stream(), PodInfo::key);
        Map<String, PodInfo> after = byKey(next.pods().stream(), PodInfo::key);
        Set<String> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        Selection was = new Selection(prev);
        Selection is = new Selection(next);
        Map<Destination.PodSelection, Set<String>> users = new HashMap<>();
        inputs.forEach((node, in) -> {
            for (Destination.PodSelection ps : in.podSelections()) {
                users.computeIfAbsent(ps, k -> new HashSet<>()).add(node);
            }
            if (in.allPods()) dirty.add(node);
        });
        for (String key : keys) {
            PodInfo o = before.get(key);
            PodInfo n = after.get(key);
            if (Objects.equals(o, n)) continue;
            if (o != null && !o.nodeName().isEmpty()) dirty.add(o.nodeName());
            if (n != null && !n.nodeName().isEmpty()) dirty.add(n.nodeName());
            users.forEach((ps, nodes) -> {
                if ((o != null && was.podMatches(o, ps.namespaceSelector(), ps.podSelector()))
                        || (n != null && is.podMatches(n, ps.namespaceSelector(), ps.podSelector()))) {
                    dirty.addAll(nodes);
                }
            });
        }
    }

    private static <T> Map<String, T> byKey(java.util.stream.Stream<T> items, Function<T, String> key) {
        Map<String, T> out = new HashMap<>();
        items.forEach(i -> out.put(key.apply(i), i));
        return out;
    }
}
