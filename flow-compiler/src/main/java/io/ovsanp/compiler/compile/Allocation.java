package io.ovsanp.compiler.compile;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stable numbers handed out by earlier compiles: OpenFlow priorities (key {@code table|rule}),
 * conjunction ids (key {@code table|rule|family|segment}) and cookie rule ids (key {@code rule}).
 * Passing the previous allocation into the next compile keeps unchanged rules on the same numbers,
 * so a policy edit touches only the flows it really changes.
 */
public record Allocation(Map<String, Integer> priorities, Map<String, Long> conjIds, Map<String, Long> ruleIds) {
    public static final Allocation EMPTY = new Allocation(Map.of(), Map.of(), Map.of());

    public Allocation {
        priorities = Collections.unmodifiableMap(new TreeMap<>(priorities));
        conjIds = Collections.unmodifiableMap(new TreeMap<>(conjIds));
        ruleIds = Collections.unmodifiableMap(new TreeMap<>(ruleIds));
    }
}
