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
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Loads a {@link ClusterSnapshot} from manifest files. Reads Namespace, Pod, Node, Service (v1),
 * EndpointSlice (discovery.k8s.io/v1), NetworkPolicy (networking.k8s.io/v1), AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1). Other kinds, and known kinds in
 * other API versions, are skipped with a NOTE. An object whose kind, namespace and name were already
 * seen is an ERROR and ignored (the first one, in file order, wins). Unreadable input throws {@link
 * SnapshotLoadException}; everything else is a diagnostic, never an exception.
 */
public final class SnapshotLoader {
    private static final String ADMIN_API = "policy.networking.k8s.io/v1alpha1";
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
            ADMIN_API);
    private static final Set<String> NAMESPACED = Set.of("Pod", "Service", "EndpointSlice", "NetworkPolicy");
    private static final Set<String> EXTENSIONS = Set.of(".yaml", ".yml", ".json");

    private final List<NamespaceInfo> namespaces = new ArrayList<>();
    private final List<PodInfo> pods = new ArrayList<>();
    private final List<NodeInfo> nodes = new ArrayList<>();
    private final List<ServiceInfo> services = new ArrayList<>();
    private final List<EndpointSliceInfo> slices = new ArrayList<>();
    private final List<AdminPolicy> adminPolicies = new ArrayList<>();
    private final List<NetworkPolicy> networkPolicies = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, SourceRef> seen = new HashMap<>();

    private SnapshotLoader() {}

    /**
     * {@code paths} are files (read whatever their name) or directories (searched recursively for
     * {@code *.yaml}, {@code *.yml}, {@code *.json}). All files are read in path order.
     */
    public static ClusterSnapshot load(List<Path> paths) throws SnapshotLoadException {
        SnapshotLoader loader = new SnapshotLoader();
        for (Path file : files(paths)) {
            for (ManifestObject o : YamlDocuments.read(file)) {
                loader.add(o);
            }
        }
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

    /** The files to read, sorted by path, each once. */
    static List<Path> files(List<Path> paths) throws SnapshotLoadException {
        TreeSet<Path> files = new TreeSet<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile)
                            .filter(SnapshotLoader::isManifest)
                            .map(Path::normalize)
                            .forEach(files::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw new SnapshotLoadException(p + ": cannot list directory: " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p.normalize());
            } else {
                throw new SnapshotLoadException(p + ": no such file or directory");
            }
        }
        return List.copyOf(files);
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private void add(ManifestObject o) throws SnapshotLoadException {
        String expectedApi = API_VERSIONS.get(o.kind());
        // Kinds we read are scoped as the API scopes them; others keep what the file says.
        String namespace = expectedApi == null
                ? o.namespace()
                : NAMESPACED.contains(o.kind()) ? (o.namespace().isEmpty() ? "default" : o.namespace()) : "";
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
        SourceRef first = seen.putIfAbsent(o.kind() + "/" + namespace + "/" + o.name(), o.source());
        if (first != null) {
            diagnostics.add(
                    Diagnostic.error(ref, "", "duplicate object, first defined in " + first + "; this one is ignored"));
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
            default:
                throw new AssertionError(o.kind());
        }
    }
}
