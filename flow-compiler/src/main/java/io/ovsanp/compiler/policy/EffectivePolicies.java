package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.Diagnostic;
import java.util.List;

/**
 * All policies as enforced, in evaluation order: the Admin tier (ANPs and Admin ClusterNetworkPolicies
 * by priority, an ANP before a CNP of equal priority, then name, UID), then NetworkPolicies
 * (unordered: they only allow), then the Baseline tier (Baseline CNPs by priority, name, UID; then the
 * BANP {@code default}; any other BANP name is invalid and comes last). The compiler and the reference
 * evaluator both start from this value.
 */
public record EffectivePolicies(
        List<EffectiveAdminPolicy> admin,
        List<EffectiveNetworkPolicy> networkPolicies,
        List<EffectiveAdminPolicy> baseline,
        List<Diagnostic> diagnostics) {
    public EffectivePolicies {
        admin = List.copyOf(admin);
        networkPolicies = List.copyOf(networkPolicies);
        baseline = List.copyOf(baseline);
        diagnostics = List.copyOf(diagnostics);
    }

    /** The egress rules of one tier in precedence order. */
    public List<EffectiveRule> rulesInOrder(Tier tier) {
        return rulesInOrder(tier, Direction.EGRESS);
    }

    /** The rules of one tier and direction in precedence order. */
    public List<EffectiveRule> rulesInOrder(Tier tier, Direction d) {
        List<EffectiveAdminPolicy> ps = tier == Tier.ADMIN ? admin : baseline;
        return ps.stream().flatMap(p -> p.rules(d).stream()).toList();
    }
}
