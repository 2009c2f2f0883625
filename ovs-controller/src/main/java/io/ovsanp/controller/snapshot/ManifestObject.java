package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.diag.SourceRef;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One Kubernetes object found in a file, with its header already checked: {@code apiVersion} and
 * {@code kind} are strings (for typed list items possibly inherited from the list), {@code name} is
 * non-empty, {@code namespace} is as written ("" when absent). {@code node} is the object as read;
 * it is not kept after the object is handled.
 */
public record ManifestObject(
        SourceRef source, String apiVersion, String kind, String namespace, String name, JsonNode node) {
    /** Namespaced kinds ovs-anp reads: without a namespace they are in "default", as kubectl puts them. */
    private static final Set<String> NAMESPACED = Set.of("Pod", "Service", "EndpointSlice", "NetworkPolicy");
    /** Cluster-scoped kinds ovs-anp reads: a namespace written on them means nothing. */
    private static final Set<String> CLUSTER_SCOPED =
            Set.of("Namespace", "Node", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "ClusterNetworkPolicy");

    /**
     * The namespace as the API scopes the kind: "default" when a namespaced kind ovs-anp reads has
     * none, "" for the cluster-scoped ones; as written for other kinds, whose scope we do not know.
     */
    public String scopedNamespace() {
        if (NAMESPACED.contains(kind)) {
            return namespace.isEmpty() ? "default" : namespace;
        }
        return CLUSTER_SCOPED.contains(kind) ? "" : namespace;
    }

    /**
     * The object's identity as the API server keys it: API group (not version: one object is served
     * in every version of its group), kind, scoped namespace and name. Two objects with one identity
     * are one object defined twice.
     */
    String identity() {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return group + "\n" + kind + "\n" + scopedNamespace() + "\n" + name;
    }

    /** {@code Kind/name} or {@code Kind/namespace/name}, the namespace scoped. */
    public String display() {
        String ns = scopedNamespace();
        return kind + "/" + (ns.isEmpty() ? "" : ns + "/") + name;
    }

    /** {@code <source>: <Kind/ns/name>: <path>: <message>}, the path left out when empty. */
    SnapshotLoadException problem(String path, String message, Throwable cause) {
        return new SnapshotLoadException(
                source + ": " + display() + ": " + (path.isEmpty() ? "" : path + ": ") + message, cause);
    }
}
