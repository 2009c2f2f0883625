package io.ovsanp.controller.snapshot;

import java.util.Map;
import java.util.Set;

/** Unknown fields of fabric8 objects, which the model keeps in {@code getAdditionalProperties()}. */
final class Fabric8Fields {
    private Fabric8Fields() {}

    static void rejectUnknown(FieldReader r, Map<String, Object> additional, String path) {
        rejectUnknown(r, additional, path, Set.of());
    }

    static void rejectUnknown(FieldReader r, Map<String, Object> additional, String path, Set<String> tolerated) {
        if (additional == null) {
            return;
        }
        additional.keySet().stream()
                .filter(name -> !tolerated.contains(name))
                .sorted()
                .forEach(name -> r.error(FieldPath.field(path, name), "unknown field"));
    }
}
