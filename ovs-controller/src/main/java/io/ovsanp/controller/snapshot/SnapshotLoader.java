package io.ovsanp.controller.snapshot;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Tier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads a {@link ClusterSnapshot} from manifest files. Reads Namespace, Pod, Node, Service (v1),
 * EndpointSlice (discovery.k8s.io/v1), NetworkPolicy (networking.k8s.io/v1), AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1), ClusterNetworkPolicy
 * (policy.networking.k8s.io/v1alpha2). Other kinds, and known kinds in
 * other API versions, are skipped with a NOTE. Input that does not define one set of objects
 * (unreadable, malformed, an object defined twice, an input without objects: {@link
 * ManifestReader}) throws {@link SnapshotLoadException}; everything else is a diagnostic.
 */
public final class SnapshotLoader {
    private static final String ADMIN_API = "policy.networking.k8s.io/v1alpha1";
    private static final String CLUSTER_NETWORK_POLICY_API = "policy.networking.k8s.io/v1alpha2";
    private static final Map<String, String> API_VERSIONS = Map.of(
            "Namespace",
            "v1",
            "Pod",
            "v1",
            "Node",
            "v1",
            "Service",
            "v1",
            "EndpointSlice",
            "discovery.k8s.io/v1",
            "NetworkPolicy",
            "networking.k8s.io/v1",
            Tier.ADMIN.kind(),
            ADMIN_API,
            Tier.BASELINE.kind(),
            ADMIN_API,
            AdminPolicy.CLUSTER_NETWORK_POLICY,
            CLUSTER_NETWORK_POLICY_API);

    private final List<NamespaceInfo> namespaces = new ArrayList<>();
    private final List<PodInfo> pods = new ArrayList<>();
    private final List<NodeInfo> nodes = new ArrayList<>();
    private final List<ServiceInfo> services = new ArrayList<>();
    private final List<EndpointSliceInfo> slices = new ArrayList<>();
    private final List<AdminPolicy> adminPolicies = new ArrayList<>();
    private final List<NetworkPolicy> networkPolicies = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private SnapshotLoader() {}

    /** {@link #load(List, boolean)} refusing inputs without objects. */
    public static ClusterSnapshot load(List<Path> paths) throws SnapshotLoadException {
        return load(paths, false);
    }

    /**
     * The snapshot of the objects in {@code paths} (files, or directories searched recursively for
     * {@code *.yaml}, {@code *.yml}, {@code *.json}; see {@link ManifestReader#read}). With {@code
     * allowEmpty}, inputs without any object are accepted (an empty snapshot is then possible).
     */
    public static ClusterSnapshot load(List<Path> paths, boolean allowEmpty) throws SnapshotLoadException {
        SnapshotLoader loader = new SnapshotLoader();
        ManifestReader.read(paths, allowEmpty, loader::add);
        return new ClusterSnapshot(
                loader.namespaces,
                loader.pods,
                loader.nodes,
                loader.services,
                loader.slices,
                loader.adminPolicies,
                loader.networkPolicies,
                loader.diagnostics);
    }

    private void add(ManifestObject o) throws SnapshotLoadException {
        String expectedApi = API_VERSIONS.get(o.kind());
        String namespace = o.scopedNamespace();
        ObjectRef ref = new ObjectRef(o.kind(), namespace, o.name(), "", o.source());
        if (expectedApi == null) {
            diagnostics.add(Diagnostic.note(
                    ref, "", "kind " + o.kind() + " (" + o.apiVersion() + ") is not read by ovs-anp, skipped"));
            return;
        }
        if (!expectedApi.equals(o.apiVersion())) {
            diagnostics.add(Diagnostic.note(
                    ref,
                    "apiVersion",
                    o.apiVersion() + " is not supported for " + o.kind() + " (expected " + expectedApi + "), skipped"));
            return;
        }
        switch (o.kind()) {
            case "Namespace":
                namespaces.add(ClusterObjectConverter.namespace(Fabric8Binding.bind(o, Namespace.class)));
                break;
            case "Pod":
                Pod pod = Fabric8Binding.bind(o, Pod.class);
                pod.getMetadata().setNamespace(namespace);
                ClusterObjectConverter.pod(pod, o.source(), diagnostics).ifPresent(pods::add);
                break;
            case "Node":
                nodes.add(ClusterObjectConverter.node(Fabric8Binding.bind(o, Node.class), o.source(), diagnostics));
                break;
            case "Service":
                Service svc = Fabric8Binding.bind(o, Service.class);
                svc.getMetadata().setNamespace(namespace);
                services.add(ClusterObjectConverter.service(svc, o.source(), diagnostics));
                break;
            case "EndpointSlice":
                EndpointSlice es = Fabric8Binding.bind(o, EndpointSlice.class);
                es.getMetadata().setNamespace(namespace);
                slices.add(ClusterObjectConverter.endpointSlice(es, o.source(), diagnostics));
                break;
            case "NetworkPolicy":
                var np = Fabric8Binding.bind(o, io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
                np.getMetadata().setNamespace(namespace);
                networkPolicies.add(NetworkPolicyConverter.convert(np, o.source()));
                break;
            case "AdminNetworkPolicy":
                adminPolicies.add(AdminPolicyReader.read(o.node(), Tier.ADMIN, o.source()));
                break;
            case "BaselineAdminNetworkPolicy":
                adminPolicies.add(AdminPolicyReader.read(o.node(), Tier.BASELINE, o.source()));
                break;
            case AdminPolicy.CLUSTER_NETWORK_POLICY:
                adminPolicies.add(ClusterNetworkPolicyReader.read(o.node(), o.source()));
                break;
            default:
                throw new AssertionError(o.kind());
        }
    }
}
