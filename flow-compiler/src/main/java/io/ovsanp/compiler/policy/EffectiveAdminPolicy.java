package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.ObjectRef;
import java.util.List;

/**
 * An ANP or BANP as enforced. {@code priority} is the priority used for ordering (an out-of-range
 * priority is invalid input and orders as 0, the highest precedence, since all its rules are then
 * fail-closed denies). Rules are in list order.
 */
public record EffectiveAdminPolicy(ObjectRef ref, Tier tier, int priority, Subject subject, List<EffectiveRule> rules) {
    public EffectiveAdminPolicy {
        rules = List.copyOf(rules);
    }
}
