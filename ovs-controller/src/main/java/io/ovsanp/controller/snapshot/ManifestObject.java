package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.diag.SourceRef;
import tools.jackson.databind.JsonNode;

/**
 * One Kubernetes object found in a file, with its header already checked: {@code apiVersion} and
 * {@code kind} are strings (for typed list items possibly inherited from the list), {@code name} is
 * non-empty, {@code namespace} is as written ("" when absent). {@code where} is the human form of
 * the source ({@code dir/a.yaml document 2 item 0}) used in exception messages.
 */
record ManifestObject(
        SourceRef source, String where, String apiVersion, String kind, String namespace, String name, JsonNode node) {

    /** {@code Kind/name} or {@code Kind/namespace/name}. */
    String display() {
        return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    /** {@code <where>: <Kind/ns/name>: <path>: <message>}, the path left out when empty. */
    SnapshotLoadException problem(String path, String message, Throwable cause) {
        return new SnapshotLoadException(
                where + ": " + display() + ": " + (path.isEmpty() ? "" : path + ": ") + message, cause);
    }
}
