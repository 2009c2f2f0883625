package io.ovsanp.compiler.cluster;

import java.util.Map;
import java.util.TreeMap;

/**
 * A Namespace. The labels always include {@code kubernetes.io/metadata.name} (the API server sets
 * it on every namespace; offline files may omit it), which scopes NetworkPolicy pod selectors.
 */
public record NamespaceInfo(String name, Map<String, String> labels) {
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public NamespaceInfo {
        TreeMap<String, String> l = new TreeMap<>(labels);
        l.put(NAME_LABEL, name);
        labels = java.util.Collections.unmodifiableMap(l);
    }
}
