package io.ovsanp.controller.snapshot;

import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Field paths as written in diagnostics ({@code spec.egress[0].to[1].networks}) and value texts. */
final class FieldPath {
    private static final Pattern SIMPLE = Pattern.compile("[A-Za-z0-9_-]+");

    private FieldPath() {}

    /** {@code base.name}, or {@code base["a.b/c"]} for names that would make the path ambiguous. */
    static String field(String base, String name) {
        if (!SIMPLE.matcher(name).matches()) {
            return base + "[\"" + name.replace("\"", "\\\"") + "\"]";
        }
        return base.isEmpty() ? name : base + "." + name;
    }

    static String index(String base, int i) {
        return base + "[" + i + "]";
    }

    /** How a value reads in a message: strings quoted, scalars as written, containers by shape. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "a list";
        }
        // JSON text of a scalar: "http" (quoted), 80, 80.5, true, null.
        return node.toString();
    }
}
