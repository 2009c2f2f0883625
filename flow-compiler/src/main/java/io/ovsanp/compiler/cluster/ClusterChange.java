package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.NetworkPolicy;
import java.util.Objects;

/**
 * What changed from one {@link ClusterSnapshot} to the next, per kind, as an immutable value: the
 * controller's informers know it as they build the new snapshot ({@code ClusterWatcher}), and
 * everything that works incrementally reads it — which nodes are dirty, which resolved selections a
 * compile can carry over, what the status must say — instead of each comparing the snapshots again.
 * {@link #between} computes it from two snapshots for callers that have no other source (tests, files
 * read again). {@link #everything()} marks a change whose previous snapshot is unknown (the first one):
 * the kinds' lists are then empty and everything must be treated as changed.
 */
public record ClusterChange(
        KindChange<NamespaceInfo> namespaces,
        KindChange<PodInfo> pods,
        KindChange<NodeInfo> nodes,
        KindChange<ServiceInfo> services,
        KindChange<EndpointSliceInfo> endpointSlices,
        KindChange<AdminPolicy> adminPolicies,
        KindChange<NetworkPolicy> networkPolicies,
        boolean loadDiagnosticsChanged,
        boolean everything) {
    /** Nothing changed. */
    public static final ClusterChange NONE = new ClusterChange(
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            false,
            false);

    /** The previous snapshot is unknown: everything counts as changed. */
    public static final ClusterChange EVERYTHING = new ClusterChange(
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            KindChange.none(),
            true,
            true);

    public ClusterChange {
        Objects.requireNonNull(namespaces);
        Objects.requireNonNull(pods);
        Objects.requireNonNull(nodes);
        Objects.requireNonNull(services);
        Objects.requireNonNull(endpointSlices);
        Objects.requireNonNull(adminPolicies);
        Objects.requireNonNull(networkPolicies);
    }

    /** The change from {@code before} to {@code after}, by walking each kind's sorted list. */
    @SuppressWarnings("ReferenceEquality") // the same snapshot: nothing to walk
    public static ClusterChange between(ClusterSnapshot before, ClusterSnapshot after) {
        if (before == after) {
            return NONE;
        }
        return new ClusterChange(
                KindChange.between(before.namespaces(), after.namespaces(), ClusterSnapshot.NAMESPACE_ORDER),
                KindChange.between(before.pods(), after.pods(), ClusterSnapshot.POD_ORDER),
                KindChange.between(before.nodes(), after.nodes(), ClusterSnapshot.NODE_ORDER),
                KindChange.between(before.services(), after.services(), ClusterSnapshot.SERVICE_ORDER),
                KindChange.between(
                        before.endpointSlices(), after.endpointSlices(), ClusterSnapshot.ENDPOINT_SLICE_ORDER),
                KindChange.between(before.adminPolicies(), after.adminPolicies(), ClusterSnapshot.ADMIN_POLICY_ORDER),
                KindChange.between(
                        before.networkPolicies(), after.networkPolicies(), ClusterSnapshot.NETWORK_POLICY_ORDER),
                !before.loadDiagnostics().equals(after.loadDiagnostics()),
                false);
    }

    /** Whether nothing changed. */
    public boolean isEmpty() {
        return !everything
                && !loadDiagnosticsChanged
                && namespaces.isEmpty()
                && pods.isEmpty()
                && nodes.isEmpty()
                && services.isEmpty()
                && endpointSlices.isEmpty()
                && adminPolicies.isEmpty()
                && networkPolicies.isEmpty();
    }

    /** This change followed by {@code later} (the snapshot after this one to the one after that). */
    public ClusterChange then(ClusterChange later) {
        if (everything || later.everything) {
            return EVERYTHING;
        }
        return new ClusterChange(
                namespaces.then(later.namespaces, ClusterSnapshot.NAMESPACE_ORDER),
                pods.then(later.pods, ClusterSnapshot.POD_ORDER),
                nodes.then(later.nodes, ClusterSnapshot.NODE_ORDER),
                services.then(later.services, ClusterSnapshot.SERVICE_ORDER),
                endpointSlices.then(later.endpointSlices, ClusterSnapshot.ENDPOINT_SLICE_ORDER),
                adminPolicies.then(later.adminPolicies, ClusterSnapshot.ADMIN_POLICY_ORDER),
                networkPolicies.then(later.networkPolicies, ClusterSnapshot.NETWORK_POLICY_ORDER),
                loadDiagnosticsChanged || later.loadDiagnosticsChanged,
                false);
    }

    /** One line for logs: the number of records that left and came per kind that changed. */
    public String summary() {
        if (everything) {
            return "everything";
        }
        StringBuilder b = new StringBuilder();
        part(b, "namespaces", namespaces);
        part(b, "pods", pods);
        part(b, "nodes", nodes);
        part(b, "services", services);
        part(b, "endpointslices", endpointSlices);
        part(b, "admin policies", adminPolicies);
        part(b, "networkpolicies", networkPolicies);
        if (loadDiagnosticsChanged) b.append(b.length() == 0 ? "" : ", ").append("load diagnostics");
        return b.length() == 0 ? "nothing" : b.toString();
    }

    private static void part(StringBuilder b, String name, KindChange<?> k) {
        if (k.isEmpty()) return;
        if (b.length() > 0) b.append(", ");
        b.append(name)
                .append(" -")
                .append(k.left().size())
                .append(" +")
                .append(k.came().size());
    }
}
