package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.ObjectRef;
import java.util.List;

/**
 * A NetworkPolicy as enforced: whom it isolates in each direction and its (Allow) rules: {@code rules}
 * the egress ones, {@code ingress} the ingress ones.
 */
public record EffectiveNetworkPolicy(
        ObjectRef ref,
        LabelSelector podSelector,
        boolean isolatesEgress,
        List<EffectiveRule> rules,
        boolean isolatesIngress,
        List<EffectiveRule> ingress) {
    public EffectiveNetworkPolicy {
        rules = List.copyOf(rules);
        ingress = List.copyOf(ingress);
    }

    /** An egress-only NetworkPolicy. */
    public EffectiveNetworkPolicy(
            ObjectRef ref, LabelSelector podSelector, boolean isolatesEgress, List<EffectiveRule> rules) {
        this(ref, podSelector, isolatesEgress, rules, false, List.of());
    }

    public boolean isolates(Direction d) {
        return d == Direction.EGRESS ? isolatesEgress : isolatesIngress;
    }

    public List<EffectiveRule> rules(Direction d) {
        return d == Direction.EGRESS ? rules : ingress;
    }

    public String namespace() {
        return ref.namespace();
    }
}
