package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.LabelSelector.Operator;
import io.ovsanp.compiler.policy.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * metav1.LabelSelector, from a JSON tree (ANP/BANP) or a fabric8 object (NetworkPolicy). An invalid
 * selector never becomes a {@link LabelSelector}: the problems are reported at their paths and the
 * caller gets an empty Optional and decides the fail-closed fallback.
 */
final class SelectorReader {
    private static final List<String> SELECTOR_FIELDS = List.of("matchLabels", "matchExpressions");
    private static final List<String> REQUIREMENT_FIELDS = List.of("key", "operator", "values");

    private SelectorReader() {}

    static Optional<LabelSelector> read(FieldReader r, JsonNode node, String path) {
        int before = r.problemCount();
        if (!r.requireObject(node, path)) {
            return Optional.empty();
        }
        r.rejectUnknown(node, path, SELECTOR_FIELDS);
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode ml = FieldReader.get(node, "matchLabels");
        String mlPath = FieldPath.field(path, "matchLabels");
        if (ml != null && r.requireObject(ml, mlPath)) {
            for (Map.Entry<String, JsonNode> e : ml.properties()) {
                if (e.getValue().isString()) {
                    labels.put(e.getKey(), e.getValue().stringValue());
                } else {
                    r.wrongType(FieldPath.field(mlPath, e.getKey()), "a string", e.getValue());
                }
            }
        }
        List<Requirement> requirements = new ArrayList<>();
        String mePath = FieldPath.field(path, "matchExpressions");
        List<JsonNode> exprs = r.list(node, path, "matchExpressions", false).orElse(List.of());
        for (int i = 0; i < exprs.size(); i++) {
            String p = FieldPath.index(mePath, i);
            JsonNode e = exprs.get(i);
            if (!r.requireObject(e, p)) {
                continue;
            }
            r.rejectUnknown(e, p, REQUIREMENT_FIELDS);
            Optional<String> key = r.string(e, p, "key", true);
            Optional<String> op = r.string(e, p, "operator", true);
            Optional<List<String>> values = r.stringList(e, p, "values", false);
            if (key.isPresent() && op.isPresent()) {
                requirement(r, p, key.get(), op.get(), values.orElse(List.of())).ifPresent(requirements::add);
            }
        }
        if (r.problemCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new LabelSelector(labels, requirements));
    }

    static Optional<LabelSelector> read(FieldReader r, io.fabric8.kubernetes.api.model.LabelSelector sel, String path) {
        int before = r.problemCount();
        Fabric8Fields.rejectUnknown(r, sel.getAdditionalProperties(), path);
        Map<String, String> labels = sel.getMatchLabels() == null ? Map.of() : sel.getMatchLabels();
        List<Requirement> requirements = new ArrayList<>();
        var exprs = sel.getMatchExpressions() == null
                ? List.<io.fabric8.kubernetes.api.model.LabelSelectorRequirement>of()
                : sel.getMatchExpressions();
        for (int i = 0; i < exprs.size(); i++) {
            String p = FieldPath.index(FieldPath.field(path, "matchExpressions"), i);
            var e = exprs.get(i);
            Fabric8Fields.rejectUnknown(r, e.getAdditionalProperties(), p);
            if (e.getKey() == null) {
                r.missing(FieldPath.field(p, "key"));
            }
            if (e.getOperator() == null) {
                r.missing(FieldPath.field(p, "operator"));
            }
            if (e.getKey() != null && e.getOperator() != null) {
                List<String> values = e.getValues() == null ? List.of() : e.getValues();
                requirement(r, p, e.getKey(), e.getOperator(), values).ifPresent(requirements::add);
            }
        }
        if (r.problemCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new LabelSelector(labels, requirements));
    }

    /** metav1 rules: In/NotIn need at least one value, Exists/DoesNotExist take none. */
    private static Optional<Requirement> requirement(
            FieldReader r, String path, String key, String opText, List<String> values) {
        Optional<Operator> op = Operator.fromApi(opText);
        if (op.isEmpty()) {
            r.error(
                    FieldPath.field(path, "operator"),
                    "unknown operator \"" + opText + "\" (expected In, NotIn, Exists or DoesNotExist)");
            return Optional.empty();
        }
        boolean needsValues = op.get() == Operator.IN || op.get() == Operator.NOT_IN;
        if (needsValues && values.isEmpty()) {
            r.error(FieldPath.field(path, "values"), "operator " + opText + " needs at least one value");
            return Optional.empty();
        }
        if (!needsValues && !values.isEmpty()) {
            r.error(FieldPath.field(path, "values"), "operator " + opText + " takes no values");
            return Optional.empty();
        }
        return Optional.of(new Requirement(key, op.get(), values));
    }
}
