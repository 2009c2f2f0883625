package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.ObjectRef;
import java.util.List;

/**
 * An ANP or BANP as enforced. {@code priority} is the priority used for ordering (an out-of-range
 * priority is invalid input and orders as 0, the highest precedence, since all its rules are then
 * fail-closed denies). Rules are in list order; {@code rules} are the egress rules, {@code ingress} the
 * ingress rules (their destinations are the peers the traffic comes from).
 */
public record EffectiveAdminPolicy(
        ObjectRef ref,
        Tier tier,
        int priority,
        Subject subject,
        List<EffectiveRule> rules,
        List<EffectiveRule> ingress) {
    public EffectiveAdminPolicy {
        rules = List.copyOf(rules);
        ingress = List.copyOf(ingress);
    }

    /** A policy without ingress rules. */
    public EffectiveAdminPolicy(ObjectRef ref, Tier tier, int priority, Subject subject, List<EffectiveRule> rules) {
        this(ref, tier, priority, subject, rules, List.of());
    }

    /** The rules of one direction: {@code rules} are the egress ones. */
    public List<EffectiveRule> rules(Direction d) {
        return d == Direction.EGRESS ? rules : ingress;
    }
}
