package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.ObjectRef;
import java.util.List;

/** A NetworkPolicy as enforced: whom it isolates for egress and its (Allow) rules. */
public record EffectiveNetworkPolicy(
        ObjectRef ref, LabelSelector podSelector, boolean isolatesEgress, List<EffectiveRule> rules) {
    public EffectiveNetworkPolicy {
        rules = List.copyOf(rules);
    }

    public String namespace() {
        return ref.namespace();
    }
}
