package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * What one node's compile read beyond the cluster-wide inputs (policies, namespaces, which dirty
 * every node when they change) and its own pods (which dirty it): the destinations of the rules that
 * apply to its pods. A pod elsewhere matters only if one of these pod selections picks it (before or
 * after the change), a Node only if one of the node selectors does. Valid until the node's next
 * compile: anything that could change it (policies, namespace labels, the node's own pods) makes the
 * node dirty itself.
 *
 * @param anyRule some rule applies to a pod of the node (so Service/EndpointSlice changes matter)
 * @param allPods a rule whose named ports can resolve in any pod (any destination, or a CIDR):
 *     every pod's ports matter
 * @param podSelections destinations selecting pods
 * @param nodeSelectors destinations selecting nodes
 */
record NodeInputs(
        boolean anyRule,
        boolean allPods,
        Set<Destination.PodSelection> podSelections,
        Set<LabelSelector> nodeSelectors) {
    static final NodeInputs NONE = new NodeInputs(false, false, Set.of(), Set.of());

    NodeInputs {
        podSelections = Set.copyOf(podSelections);
        nodeSelectors = Set.copyOf(nodeSelectors);
    }

    /** The inputs of {@code node}'s compile of {@code snapshot}: mirrors the compiler's planning. */
    static NodeInputs of(ClusterSnapshot snapshot, EffectivePolicies policies, String node) {
        PodIndex index = PodIndex.of(snapshot, policies);
        List<PodInfo> local = index.local(node);
        if (local.isEmpty()) {
            return NONE;
        }
        Selection selection = index.selection;
        Builder b = new Builder();
        for (EffectiveAdminPolicy p : Stream.concat(policies.admin().stream(), policies.baseline().stream())
                .toList()) {
            boolean applies = local.stream()
                    .anyMatch(pod -> selection.podMatches(
                            pod, p.subject().namespaceSelector(), p.subject().podSelector()));
            if (applies) {
                p.rules().forEach(b::add);
            }
        }
        Set<String> namespaces = new HashSet<>();
        for (PodInfo pod : local) {
            if (!namespaces.add(pod.namespace())) continue;
            // only NetworkPolicies of the node's pods' namespaces can apply to them
            for (EffectiveNetworkPolicy np : index.isolating(pod.namespace())) {
                boolean applies = local.stream()
                        .anyMatch(p -> p.namespace().equals(np.namespace())
                                && np.podSelector().matches(p.labels()));
                if (applies) {
                    np.rules().forEach(b::add);
                }
            }
        }
        return b.build();
    }

    /**
     * One snapshot's non-host-network pods by node, its {@link Selection} and its egress-isolating
     * NetworkPolicies by namespace, shared by the calls for all its nodes (workers in parallel): each
     * call used to filter every pod and NetworkPolicy of the cluster and compute the namespace labels
     * again, milliseconds per node at 20,000 pods. The index of the last (snapshot, policies) pair
     * asked for is kept, by identity, as the compiler's SnapshotIndex does.
     */
    private static final class PodIndex {
        private static final AtomicReference<PodIndex> LAST = new AtomicReference<>();

        final ClusterSnapshot snapshot;
        final EffectivePolicies policies;
        final Selection selection;
        final Map<String, List<PodInfo>> byNode;
        final Map<String, List<EffectiveNetworkPolicy>> isolatingByNamespace;

        private PodIndex(ClusterSnapshot snapshot, EffectivePolicies policies) {
            this.snapshot = snapshot;
            this.policies = policies;
            this.selection = new Selection(snapshot);
            Map<String, List<PodInfo>> m = new HashMap<>();
            for (PodInfo p : snapshot.pods()) {
                if (!p.hostNetwork())
                    m.computeIfAbsent(p.nodeName(), n -> new ArrayList<>()).add(p);
            }
            this.byNode = m;
            Map<String, List<EffectiveNetworkPolicy>> nps = new HashMap<>();
            for (EffectiveNetworkPolicy np : policies.networkPolicies()) {
                if (np.isolatesEgress())
                    nps.computeIfAbsent(np.namespace(), n -> new ArrayList<>()).add(np);
            }
            this.isolatingByNamespace = nps;
        }

        @SuppressWarnings("ReferenceEquality") // identity on purpose: equals would walk every pod
        static PodIndex of(ClusterSnapshot snapshot, EffectivePolicies policies) {
            PodIndex last = LAST.get();
            if (last != null && last.snapshot == snapshot && last.policies == policies) {
                return last;
            }
            PodIndex fresh = new PodIndex(snapshot, policies);
            LAST.set(fresh);
            return fresh;
        }

        List<PodInfo> local(String node) {
            return byNode.getOrDefault(node, List.of());
        }

        List<EffectiveNetworkPolicy> isolating(String namespace) {
            return isolatingByNamespace.getOrDefault(namespace, List.of());
        }
    }

    private static final class Builder {
        boolean anyRule;
        boolean allPods;
        final Set<Destination.PodSelection> pods = new HashSet<>();
        final Set<LabelSelector> nodes = new HashSet<>();

        void add(EffectiveRule r) {
            anyRule = true;
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

        NodeInputs build() {
            return new NodeInputs(anyRule, allPods, pods, nodes);
        }
    }
}
