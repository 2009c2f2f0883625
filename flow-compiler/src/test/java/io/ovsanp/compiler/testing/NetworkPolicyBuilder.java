package io.ovsanp.compiler.testing;

import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds an {@link EffectiveNetworkPolicy}: by default it selects every pod of its namespace and
 * isolates them for egress ({@code policyTypes: [Egress]}); rules are Allow.
 */
public final class NetworkPolicyBuilder {
    private final ObjectRef ref;
    private LabelSelector podSelector = LabelSelector.ALL;
    private boolean isolatesEgress = true;
    private final List<EffectiveRule> rules = new ArrayList<>();

    NetworkPolicyBuilder(String namespace, String name) {
        this.ref = new ObjectRef(Tier.NETWORK_POLICY.kind(), namespace, name, "", SourceRef.NONE);
    }

    public ObjectRef ref() {
        return ref;
    }

    public NetworkPolicyBuilder podSelector(LabelSelector selector) {
        this.podSelector = selector;
        return this;
    }

    /** False for a policy that governs only ingress. */
    public NetworkPolicyBuilder isolatesEgress(boolean isolates) {
        this.isolatesEgress = isolates;
        return this;
    }

    /** An egress rule (unnamed, as NetworkPolicy rules are). */
    public NetworkPolicyBuilder allow(Consumer<RuleBuilder> rule) {
        RuleBuilder b = new RuleBuilder(new RuleRef(Tier.NETWORK_POLICY, ref, rules.size(), ""), Action.ALLOW);
        rule.accept(b);
        rules.add(b.build());
        return this;
    }

    public EffectiveNetworkPolicy build() {
        return new EffectiveNetworkPolicy(ref, podSelector, isolatesEgress, rules);
    }
}
