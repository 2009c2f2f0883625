package io.ovsanp.compiler.compile;

import java.util.List;
import java.util.Map;

/** Flows per table (by name, in pipeline order) and per rule. */
public record CompileStats(Map<String, Integer> flowsPerTable, List<RuleStats> rules) {
    public CompileStats {
        flowsPerTable = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(flowsPerTable));
        rules = List.copyOf(rules);
    }

    /** Flows a cross product would have needed for all rules, minus what the conjunctions cost. */
    public long flowsAvoided() {
        return rules.stream()
                .mapToLong(r -> Math.max(0, r.crossProduct() - r.flows()))
                .sum();
    }
}
