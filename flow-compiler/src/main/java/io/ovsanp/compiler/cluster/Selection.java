package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.Subject;
import java.util.List;
import java.util.Map;

/**
 * Label-selector evaluation over a snapshot. Host-network pods are never selected as pods: they are
 * neither subjects nor pod peers (they are reachable through {@code nodes} and {@code networks}).
 */
public final class Selection {
    private final ClusterSnapshot snapshot;
    private final Map<String, Map<String, String>> namespaceLabels;

    public Selection(ClusterSnapshot snapshot) {
        this(snapshot, java.util.Collections.unmodifiableMap(snapshot.namespaceLabels()));
    }

    /**
     * With {@code namespaceLabels} known to equal {@code snapshot.namespaceLabels()} (an incremental
     * index carries them over from the previous snapshot instead of walking every pod again);
     * {@code namespaceLabels} must not be modified afterwards.
     */
    public Selection(ClusterSnapshot snapshot, Map<String, Map<String, String>> namespaceLabels) {
        this.snapshot = snapshot;
        this.namespaceLabels = namespaceLabels;
    }

    /**
     * The snapshot's {@link ClusterSnapshot#namespaceLabels()}, computed once for this selection
     * (unmodifiable; the same instance on every call, so a carried-over map is recognised by identity).
     */
    public Map<String, Map<String, String>> namespaceLabels() {
        return namespaceLabels;
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public boolean podMatches(PodInfo pod, LabelSelector namespaceSelector, LabelSelector podSelector) {
        if (pod.hostNetwork()) {
            return false;
        }
        Map<String, String> nsLabels = namespaceLabels.getOrDefault(pod.namespace(), Map.of());
        return namespaceSelector.matches(nsLabels) && podSelector.matches(pod.labels());
    }

    /**
     * The pods both selectors pick, in snapshot order. The pods are sorted by namespace, so the
     * namespace selector is evaluated once per namespace and a namespace it rejects is skipped whole.
     */
    public List<PodInfo> pods(LabelSelector namespaceSelector, LabelSelector podSelector) {
        List<PodInfo> all = snapshot.pods();
        List<PodInfo> out = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); ) {
            int end = ClusterSnapshot.endOfNamespace(all, i);
            String ns = all.get(i).namespace();
            if (namespaceSelector.matches(namespaceLabels.getOrDefault(ns, Map.of()))) {
                for (int k = i; k < end; k++) {
                    PodInfo p = all.get(k);
                    if (!p.hostNetwork() && podSelector.matches(p.labels())) out.add(p);
                }
            }
            i = end;
        }
        return List.copyOf(out);
    }

    public List<PodInfo> subjects(Subject subject) {
        return pods(subject.namespaceSelector(), subject.podSelector());
    }

    public List<NodeInfo> nodes(LabelSelector nodeSelector) {
        return snapshot.nodes().stream()
                .filter(n -> nodeSelector.matches(n.labels()))
                .toList();
    }
}
