package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@link DirtyNodes} as it was before its fast paths (maps by key, deep equals, a {@link Selection}
 * per snapshot), kept as the reference its decisions are checked against (DirtyNodesEquivalenceTest).
 * Also the former Inputs.of, which filtered every pod and built a new Selection for each node:
 * what the compiler's read set must agree with.
 */
final class DirtyNodesReference {
    /**
     * What a node's compile read, as the former Inputs computed it, mirroring the compiler's
     * planning: the compiler's own {@code ReadSet} must say the same.
     */
    record Inputs(
            boolean anyRule,
            boolean allPods,
            Set<Destination.PodSelection> podSelections,
            Set<LabelSelector> nodeSelectors) {
        static final Inputs NONE = new Inputs(false, false, Set.of(), Set.of());

        /** The same parts of the compiler's read set. */
        static Inputs of(io.ovsanp.compiler.compile.ReadSet r) {
            return new Inputs(r.anyRule(), r.allPods(), r.podSelections(), r.nodeSelectors());
        }
    }

    private ClusterSnapshot last;
    private final Map<String, Inputs> inputs = new HashMap<>();

    /** Records what {@code node}'s latest compile read. */
    void compiled(String node, Inputs in) {
        inputs.put(node, in);
    }

    void forget(String node) {
        inputs.remove(node);
    }

    /** The nodes {@code next} makes dirty compared with the previous snapshot (all for the first one). */
    DirtyNodes.Changes next(ClusterSnapshot next) {
        ClusterSnapshot prev = last;
        last = next;
        if (prev == null
                || !prev.loadDiagnostics().equals(next.loadDiagnostics())
                || !prev.namespaceLabels().equals(next.namespaceLabels())) {
            return DirtyNodes.Changes.ALL;
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
        return new DirtyNodes.Changes(false, dirty);
    }

    /** Nodes running a subject pod of a changed policy, in the old or the new version. */
    private static void policiesChanged(ClusterSnapshot prev, ClusterSnapshot next, Set<String> dirty) {
        Selection was = new Selection(prev);
        Selection is = new Selection(next);
        Map<String, AdminPolicy> oldAdmin = byKey(prev.adminPolicies().stream(), DirtyNodesReference::key);
        Map<String, AdminPolicy> newAdmin = byKey(next.adminPolicies().stream(), DirtyNodesReference::key);
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
        Map<String, NetworkPolicy> oldNp = byKey(prev.networkPolicies().stream(), DirtyNodesReference::key);
        Map<String, NetworkPolicy> newNp = byKey(next.networkPolicies().stream(), DirtyNodesReference::key);
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

    /** The former Inputs.of: every pod filtered and a Selection built for each node. */
    static Inputs inputs(ClusterSnapshot snapshot, EffectivePolicies policies, String node) {
        Selection selection = new Selection(snapshot);
        List<PodInfo> local = snapshot.pods().stream()
                .filter(p -> p.nodeName().equals(node) && !p.hostNetwork())
                .toList();
        if (local.isEmpty()) {
            return Inputs.NONE;
        }
        List<EffectiveRule> rules = new ArrayList<>();
        for (EffectiveAdminPolicy p : Stream.concat(policies.admin().stream(), policies.baseline().stream())
                .toList()) {
            boolean applies = local.stream()
                    .anyMatch(pod -> selection.podMatches(
                            pod, p.subject().namespaceSelector(), p.subject().podSelector()));
            if (applies) {
                rules.addAll(p.rules());
            }
        }
        for (EffectiveNetworkPolicy np : policies.networkPolicies()) {
            boolean applies = np.isolatesEgress()
                    && local.stream()
                            .anyMatch(pod -> pod.namespace().equals(np.namespace())
                                    && np.podSelector().matches(pod.labels()));
            if (applies) {
                rules.addAll(np.rules());
            }
        }
        boolean anyRule = false;
        boolean allPods = false;
        Set<Destination.PodSelection> pods = new HashSet<>();
        Set<LabelSelector> nodes = new HashSet<>();
        for (EffectiveRule r : rules) {
            anyRule = true;
            // (the former decision, with the fix for named ports inside an ipBlock)
            if (r.namedPortsReadEveryPod()) {
                allPods = true;
            }
            for (Destination d : r.destinations()) {
                if (d instanceof Destination.PodSelection ps) {
                    pods.add(ps);
                } else if (d instanceof Destination.NodeSelection ns) {
                    nodes.add(ns.nodeSelector());
                }
            }
        }
        return new Inputs(anyRule, allPods, Set.copyOf(pods), Set.copyOf(nodes));
    }
}
