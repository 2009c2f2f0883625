package io.ovsanp.compiler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.diag.SourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-policy results a PolicyValidator.Memo keeps between calls (by policy instance) never change an
 * answer: every call equals a fresh validation, an edited policy (a new instance) is validated again,
 * and the kept results follow the instances, not equal-looking names.
 */
class PolicyValidatorMemoTest {
    private static final Rule DENY_ALL =
            new Rule(0, "r", Action.DENY, List.of(new Peer.Networks(List.of("0.0.0.0/0"))), List.of());

    private static ClusterSnapshot with(AdminPolicy... ps) {
        NetworkPolicy np = new NetworkPolicy(
                new ObjectRef("NetworkPolicy", "web", "np", "", SourceRef.NONE),
                LabelSelector.ALL,
                true,
                List.of(new Rule(0, "", Action.ALLOW, List.of(new Peer.IpBlock("10.0.0.0/8", List.of())), List.of())),
                List.of());
        return new ClusterSnapshot(
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(ps), List.of(np), List.of());
    }

    private static EffectivePolicies fresh(ClusterSnapshot s) {
        return PolicyValidator.validate(s, new PolicyValidator.Memo());
    }

    @Test
    void everyCallEqualsAFreshValidationAndAnEditIsValidatedAgain() {
        AdminPolicy invalid = PolicyValidatorTest.anp("a", 2000, List.of(), DENY_ALL);
        AdminPolicy other = PolicyValidatorTest.anp("b", 5, List.of(), DENY_ALL);
        ClusterSnapshot first = with(invalid, other);
        PolicyValidator.Memo memo = new PolicyValidator.Memo();
        EffectivePolicies one = PolicyValidator.validate(first, memo);
        assertThat(one).isEqualTo(fresh(first));
        assertThat(one.diagnostics())
                .anyMatch(d -> d.severity() == Severity.ERROR && d.path().equals("spec.priority"));

        // the same instances again (a snapshot after an unrelated event)
        ClusterSnapshot again = with(invalid, other);
        assertThat(PolicyValidator.validate(again, memo)).isEqualTo(one);

        // the invalid policy edited into a valid one: a new instance, validated again
        AdminPolicy fixed = PolicyValidatorTest.anp("a", 10, List.of(), DENY_ALL);
        ClusterSnapshot edited = with(fixed, other);
        EffectivePolicies two = PolicyValidator.validate(edited, memo);
        assertThat(two).isEqualTo(fresh(edited));
        assertThat(two.diagnostics()).noneMatch(d -> d.severity() == Severity.ERROR);

        // and back to the first instance after a call that did not hold it
        assertThat(PolicyValidator.validate(first, memo)).isEqualTo(fresh(first));
    }
}
