package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.ObjectRef;
import java.util.List;

/**
 * An ANP or BANP as enforced. {@code priority} is the priority used for ordering (an out-of-range
 * priority is invalid input and orders as 0, the highest precedence, since all its rules are then
 * fail-closed denies). Rules are in list order; {@code rules} are the egress rules, {@code ingress} the
 * ingress rules (their destinations are the peers the traffic comes from). {@code audited}: the
 * policy opted in to the audit log ({@link AdminPolicy#AUDIT_ANNOTATION}).
 */
public record EffectiveAdminPolicy(
        ObjectRef ref,
        Tier tier,
        int priority,
        Subject subject,
        List<EffectiveRule> rules,
        List<EffectiveRule> ingress,
        boolean audited) {
    public EffectiveAdminPolicy {
        rules = List.copyOf(rules);
        ingress = List.copyOf(ingress);
    }

    /** A policy that did not opt in to the audit log. */
    public EffectiveAdminPolicy(
            ObjectRef ref,
            Tier tier,
            int priority,
            Subject subject,
            List<EffectiveRule> rules,
            List<EffectiveRule> ingress) {
        this(ref, tier, priority, subject, rules, ingress, false);
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
