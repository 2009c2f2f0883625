package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * Reads fields of one object's JSON tree and records every structural problem as an ERROR
 * diagnostic with the field path: wrong JSON type, missing required field, unknown field. An
 * explicit {@code null} reads as absent, as in Kubernetes' own decoding of optional fields.
 */
final class FieldReader {
    private final ObjectRef object;
    private final List<Diagnostic> problems = new ArrayList<>();

    FieldReader(ObjectRef object) {
        this.object = object;
    }

    ObjectRef object() {
        return object;
    }

    List<Diagnostic> problems() {
        return List.copyOf(problems);
    }

    /** Number of problems so far; compare before and after reading a part to see if it was clean. */
    int problemCount() {
        return problems.size();
    }

    void error(String path, String message) {
        problems.add(Diagnostic.error(object, path, message));
    }

    void missing(String path) {
        error(path, "missing required field");
    }

    void wrongType(String path, String expected, JsonNode got) {
        error(path, "expected " + expected + ", got " + FieldPath.describe(got));
    }

    /** The field's value, or null when it is absent or JSON null. */
    static JsonNode get(JsonNode object, String name) {
        JsonNode v = object.get(name);
        return v == null || v.isNull() || v.isMissingNode() ? null : v;
    }

    /** True when {@code node} is an object; otherwise reports the wrong type at {@code path}. */
    boolean requireObject(JsonNode node, String path) {
        if (node.isObject()) {
            return true;
        }
        wrongType(path, "an object", node);
        return false;
    }

    /** Reports every field of {@code object} not in {@code known}; returns how many there were. */
    int rejectUnknown(JsonNode object, String path, Collection<String> known) {
        int unknown = 0;
        for (String name : object.propertyNames()) {
            if (!known.contains(name)) {
                error(FieldPath.field(path, name), "unknown field (expected one of " + String.join(", ", known) + ")");
                unknown++;
            }
        }
        return unknown;
    }

    /**
     * The one field of {@code known} that {@code node} (an object) sets, for types whose fields are
     * mutually exclusive ({@code minProperties}/{@code maxProperties} 1): unknown fields, none set and
     * several set are reported at {@code path}, and the answer is then empty.
     */
    Optional<String> exactlyOne(JsonNode node, String path, List<String> known) {
        int before = problemCount();
        int unknown = rejectUnknown(node, path, known);
        List<String> set = known.stream().filter(f -> get(node, f) != null).toList();
        if (set.size() > 1 || (set.isEmpty() && unknown == 0)) {
            error(
                    path,
                    "exactly one of " + String.join(", ", known) + " must be set, found "
                            + (set.isEmpty() ? "none" : String.join(" and ", set)));
        }
        return problemCount() == before ? Optional.of(set.get(0)) : Optional.empty();
    }

    Optional<String> string(JsonNode object, String path, String name, boolean required) {
        String p = FieldPath.field(path, name);
        JsonNode v = get(object, name);
        if (v == null) {
            if (required) {
                missing(p);
            }
            return Optional.empty();
        }
        if (!v.isString()) {
            wrongType(p, "a string", v);
            return Optional.empty();
        }
        return Optional.of(v.stringValue());
    }

    /** A 32-bit integer as written; range checks beyond int32 are the validator's. */
    OptionalInt int32(JsonNode object, String path, String name, boolean required) {
        String p = FieldPath.field(path, name);
        JsonNode v = get(object, name);
        if (v == null) {
            if (required) {
                missing(p);
            }
            return OptionalInt.empty();
        }
        if (!v.isIntegralNumber()) {
            wrongType(p, "an integer", v);
            return OptionalInt.empty();
        }
        if (!v.canConvertToInt()) {
            wrongType(p, "a 32-bit integer", v);
            return OptionalInt.empty();
        }
        return OptionalInt.of(v.intValue());
    }

    /** The elements of a list field; empty Optional when absent or not a list (reported). */
    Optional<List<JsonNode>> list(JsonNode object, String path, String name, boolean required) {
        String p = FieldPath.field(path, name);
        JsonNode v = get(object, name);
        if (v == null) {
            if (required) {
                missing(p);
            }
            return Optional.empty();
        }
        if (!v.isArray()) {
            wrongType(p, "a list", v);
            return Optional.empty();
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return Optional.of(out);
    }

    /** A list of strings; empty Optional if absent, not a list, or any element is not a string. */
    Optional<List<String>> stringList(JsonNode object, String path, String name, boolean required) {
        Optional<List<JsonNode>> items = list(object, path, name, required);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        String p = FieldPath.field(path, name);
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.get().size(); i++) {
            JsonNode e = items.get().get(i);
            if (e.isString()) {
                out.add(e.stringValue());
            } else {
                wrongType(FieldPath.index(p, i), "a string", e);
                ok = false;
            }
        }
        return ok ? Optional.of(out) : Optional.empty();
    }
}
