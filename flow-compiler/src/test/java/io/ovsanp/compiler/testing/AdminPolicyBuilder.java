package io.ovsanp.compiler.testing;

import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds an {@link EffectiveAdminPolicy} (ANP or BANP). Rules get indexes in the order they are
 * added, as {@code spec.egress[i]}.
 */
public final class AdminPolicyBuilder {
    private final Tier tier;
    private final ObjectRef ref;
    private final int priority;
    private Subject subject = Subject.ALL;
    private final List<EffectiveRule> rules = new ArrayList<>();

    AdminPolicyBuilder(Tier tier, String name, int priority) {
        this(tier, tier.kind(), name, priority);
    }

    /** {@code kind}: a tier's v1alpha1 kind, or {@code ClusterNetworkPolicy} in either tier. */
    AdminPolicyBuilder(Tier tier, String kind, String name, int priority) {
        this.tier = tier;
        this.ref = ObjectRef.cluster(kind, name);
        this.priority = priority;
    }

    public ObjectRef ref() {
        return ref;
    }

    public AdminPolicyBuilder subject(Subject s) {
        this.subject = s;
        return this;
    }

    /** {@code subject.namespaces}. */
    public AdminPolicyBuilder subjectNamespaces(LabelSelector namespaceSelector) {
        return subject(new Subject(namespaceSelector, LabelSelector.ALL));
    }

    /** {@code subject.pods}. */
    public AdminPolicyBuilder subjectPods(LabelSelector namespaceSelector, LabelSelector podSelector) {
        return subject(new Subject(namespaceSelector, podSelector));
    }

    public AdminPolicyBuilder allow(String name, Consumer<RuleBuilder> rule) {
        return rule(Action.ALLOW, name, rule);
    }

    public AdminPolicyBuilder deny(String name, Consumer<RuleBuilder> rule) {
        return rule(Action.DENY, name, rule);
    }

    public AdminPolicyBuilder pass(String name, Consumer<RuleBuilder> rule) {
        return rule(Action.PASS, name, rule);
    }

    public AdminPolicyBuilder rule(Action action, String name, Consumer<RuleBuilder> rule) {
        RuleBuilder b = new RuleBuilder(nextRef(name), action);
        rule.accept(b);
        rules.add(b.build());
        return this;
    }

    /** An invalid rule realised fail-closed: Deny, any destination, any port. */
    public AdminPolicyBuilder denyAll(String name) {
        rules.add(EffectiveRule.denyAll(nextRef(name)));
        return this;
    }

    /** The reference the next added rule gets. */
    public RuleRef nextRef(String name) {
        return new RuleRef(tier, ref, rules.size(), name);
    }

    public int priority() {
        return priority;
    }

    public EffectiveAdminPolicy build() {
        return new EffectiveAdminPolicy(ref, tier, priority, subject, rules);
    }
}
