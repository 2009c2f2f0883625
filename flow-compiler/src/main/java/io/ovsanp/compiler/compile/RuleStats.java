package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.policy.RuleRef;

/**
 * What one rule cost on one node: flows emitted (clause, conj_id and plain flows, after merging),
 * the size of each dimension (summed over address families and named-port groups) and the flows a
 * plain cross product would have needed.
 */
public record RuleStats(
        RuleRef rule,
        String table,
        int priority,
        int flows,
        int sources,
        int destinations,
        int ports,
        long crossProduct) {}
