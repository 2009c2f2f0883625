package io.ovsanp.compiler.policy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kubernetes {@code metav1.LabelSelector}: all {@code matchLabels} and all {@code matchExpressions}
 * must hold. The empty selector {@code {}} selects everything. Invalid selectors never reach this
 * type: readers report them and realise the owning rule fail-closed.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
    public static final LabelSelector ALL = new LabelSelector(Map.of(), List.of());

    public LabelSelector {
        matchLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(matchLabels));
        matchExpressions = List.copyOf(matchExpressions);
    }

    public static LabelSelector of(Map<String, String> labels) {
        return new LabelSelector(labels, List.of());
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** One {@code matchExpressions} entry. */
    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            values = List.copyOf(new java.util.TreeSet<>(values));
        }

        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            switch (operator) {
                case IN:
                    return v != null && values.contains(v);
                case NOT_IN:
                    return v == null || !values.contains(v);
                case EXISTS:
                    return v != null;
                case DOES_NOT_EXIST:
                    return v == null;
            }
            throw new AssertionError(operator);
        }
    }

    /** metav1.LabelSelectorOperator. */
    public enum Operator {
        IN("In"),
        NOT_IN("NotIn"),
        EXISTS("Exists"),
        DOES_NOT_EXIST("DoesNotExist");

        private final String apiName;

        Operator(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }

        public static java.util.Optional<Operator> fromApi(String s) {
            for (Operator o : values()) {
                if (o.apiName.equals(s)) {
                    return java.util.Optional.of(o);
                }
            }
            return java.util.Optional.empty();
        }
    }
}
