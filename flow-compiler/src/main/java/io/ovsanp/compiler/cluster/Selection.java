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
        this(snapshot, snapshot.namespaceLabels());
    }

    /**
     * With {@code namespaceLabels} known to equal {@code snapshot.namespaceLabels()} (an incremental
     * index carries them over from the previous snapshot instead of walking every pod again).
     */
    public Selection(ClusterSnapshot snapshot, Map<String, Map<String, String>> namespaceLabels) {
        this.snapshot = snapshot;
        this.namespaceLabels = namespaceLabels;
    }

    /** Namespace labels by name, implicit namespaces included. */
    public Map<String, Map<String, String>> namespaceLabels() {
        return namespaceLabels;
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    /** The snapshot's {@link ClusterSnapshot#namespaceLabels()}, computed once for this selection. */
    public Map<String, Map<String, String>> namespaceLabels() {
        return java.util.Collections.unmodifiableMap(namespaceLabels);
    }

    public boolean podMatches(PodInfo pod, LabelSelector namespaceSelector, LabelSelector podSelector) {
        if (pod.hostNetwork()) {
            return false;
        }
        Map<String, String> nsLabels = namespaceLabels.getOrDefault(pod.namespace(), Map.of());
        return namespaceSelector.matches(nsLabels) && podSelector.matches(pod.labels());
    }

    public List<PodInfo> pods(LabelSelector namespaceSelector, LabelSelector podSelector) {
        return snapshot.pods().stream()
                .filter(p -> podMatches(p, namespaceSelector, podSelector))
                .toList();
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
