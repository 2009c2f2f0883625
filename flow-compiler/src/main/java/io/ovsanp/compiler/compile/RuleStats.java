package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.RuleRef;

/**
 * What one rule cost on one node: flows emitted (clause, conj_id and plain flows, after merging),
 * the size of each dimension (summed over address families and named-port groups) and the flows a
 * plain cross product would have needed. {@code action} is the verdict as enforced (Deny for a rule
 * realised fail-closed).
 */
public record RuleStats(
        RuleRef rule,
        Action action,
        String table,
        int priority,
        int flows,
        int sources,
        int destinations,
        int ports,
        long crossProduct) {}
