package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import java.util.List;

/**
 * A networking.k8s.io/v1 NetworkPolicy, egress side. {@code isolatesEgress} is true when policyTypes
 * contains Egress, or policyTypes is absent and the policy has egress rules. All rules are Allow.
 */
public record NetworkPolicy(
        ObjectRef ref,
        LabelSelector podSelector,
        boolean isolatesEgress,
        List<Rule> egress,
        List<Diagnostic> readProblems) {
    public NetworkPolicy {
        egress = List.copyOf(egress);
        readProblems = List.copyOf(readProblems);
    }

    public String namespace() {
        return ref.namespace();
    }
}
