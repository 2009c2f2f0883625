package io.ovsanp.compiler.cluster;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Tier;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the compiler and the evaluator need, as one immutable value. Built by the YAML loader
 * (offline) or from informer caches (controller). Lists are sorted so that equal clusters are equal
 * values and compile to byte-identical output. Namespaces referenced by pods or policies but absent
 * from the input exist implicitly with only their name label.
 */
public record ClusterSnapshot(
        List<NamespaceInfo> namespaces,
        List<PodInfo> pods,
        List<NodeInfo> nodes,
        List<ServiceInfo> services,
        List<EndpointSliceInfo> endpointSlices,
        List<AdminPolicy> adminPolicies,
        List<NetworkPolicy> networkPolicies,
        List<Diagnostic> loadDiagnostics) {

    public ClusterSnapshot {
        namespaces = sorted(namespaces, Comparator.comparing(NamespaceInfo::name));
        pods = sorted(pods, Comparator.comparing(PodInfo::namespace).thenComparing(PodInfo::name));
        nodes = sorted(nodes, Comparator.comparing(NodeInfo::name));
        services = sorted(services, Comparator.comparing(ServiceInfo::namespace).thenComparing(ServiceInfo::name));
        endpointSlices = sorted(
                endpointSlices,
                Comparator.comparing(EndpointSliceInfo::namespace).thenComparing(EndpointSliceInfo::name));
        adminPolicies =
                sorted(adminPolicies, Comparator.comparing(AdminPolicy::tier).thenComparing(AdminPolicy::ref));
        networkPolicies = sorted(networkPolicies, Comparator.comparing(NetworkPolicy::ref));
        loadDiagnostics = List.copyOf(loadDiagnostics);
    }

    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static <T> List<T> sorted(List<T> in, Comparator<T> order) {
        return in.stream().sorted(order).toList();
    }

    /** Namespace labels by name, including implicit namespaces of pods. */
    public Map<String, Map<String, String>> namespaceLabels() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (NamespaceInfo ns : namespaces) {
            out.put(ns.name(), ns.labels());
        }
        for (PodInfo p : pods) {
            out.computeIfAbsent(p.namespace(), n -> new NamespaceInfo(n, Map.of()).labels());
        }
        for (NetworkPolicy np : networkPolicies) {
            out.computeIfAbsent(np.namespace(), n -> new NamespaceInfo(n, Map.of()).labels());
        }
        return out;
    }

    public Optional<NodeInfo> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public Optional<PodInfo> pod(String namespace, String name) {
        return pods.stream()
                .filter(p -> p.namespace().equals(namespace) && p.name().equals(name))
                .findFirst();
    }

    public List<AdminPolicy> policies(Tier tier) {
        return adminPolicies.stream().filter(p -> p.tier() == tier).toList();
    }

    /** Node names known from Node objects and from pods' spec.nodeName, sorted. */
    public List<String> nodeNames() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        nodes.forEach(n -> names.add(n.name()));
        pods.stream().map(PodInfo::nodeName).filter(n -> !n.isEmpty()).forEach(names::add);
        return List.copyOf(names);
    }
}
