package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import java.util.List;

/**
 * An AdminNetworkPolicy ({@link Tier#ADMIN}) or BaselineAdminNetworkPolicy ({@link Tier#BASELINE}),
 * as read. {@code readProblems} are what the reader found (unknown fields, wrong types, zero or two
 * fields where exactly one is required), each with the field path; {@link
 * io.ovsanp.compiler.policy.PolicyValidator} adds the API's limits and decides what is realised
 * fail-closed. BANPs carry priority 0.
 */
public record AdminPolicy(
        ObjectRef ref,
        Tier tier,
        int priority,
        Subject subject,
        List<Rule> egress,
        int ingressRuleCount,
        List<Diagnostic> readProblems) {
    public AdminPolicy {
        if (tier == Tier.NETWORK_POLICY) {
            throw new IllegalArgumentException("AdminPolicy cannot be in the NetworkPolicy tier");
        }
        egress = List.copyOf(egress);
        readProblems = List.copyOf(readProblems);
    }
}
