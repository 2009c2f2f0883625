package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import java.util.List;

/**
 * A networking.k8s.io/v1 NetworkPolicy. {@code isolatesEgress} is true when policyTypes contains
 * Egress, or policyTypes is absent and the policy has egress rules; {@code isolatesIngress} when
 * policyTypes contains Ingress or is absent (every NetworkPolicy without policyTypes isolates for
 * ingress). All rules are Allow; ingress rules' peers ({@code from}) are sources.
 */
public record NetworkPolicy(
        ObjectRef ref,
        LabelSelector podSelector,
        boolean isolatesEgress,
        List<Rule> egress,
        boolean isolatesIngress,
        List<Rule> ingress,
        List<Diagnostic> readProblems) {
    public NetworkPolicy {
        egress = List.copyOf(egress);
        ingress = List.copyOf(ingress);
        readProblems = List.copyOf(readProblems);
    }

    /** An egress-only NetworkPolicy. */
    public NetworkPolicy(
            ObjectRef ref,
            LabelSelector podSelector,
            boolean isolatesEgress,
            List<Rule> egress,
            List<Diagnostic> readProblems) {
        this(ref, podSelector, isolatesEgress, egress, false, List.of(), readProblems);
    }

    public boolean isolates(Direction d) {
        return d == Direction.EGRESS ? isolatesEgress : isolatesIngress;
    }

    public List<Rule> rules(Direction d) {
        return d == Direction.EGRESS ? egress : ingress;
    }

    public String namespace() {
        return ref.namespace();
    }
}
