package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import java.util.List;

/**
 * An AdminNetworkPolicy ({@link Tier#ADMIN}) or BaselineAdminNetworkPolicy ({@link Tier#BASELINE}) of
 * v1alpha1, or a v1alpha2 ClusterNetworkPolicy of either tier (its {@code ref} has the kind {@link
 * #CLUSTER_NETWORK_POLICY}), as read. {@code readProblems} are what the reader found (unknown fields,
 * wrong types, zero or two fields where exactly one is required), each with the field path; {@link
 * io.ovsanp.compiler.policy.PolicyValidator} adds the API's limits (which differ by kind) and decides
 * what is realised fail-closed. BANPs carry priority 0; a ClusterNetworkPolicy carries its {@code
 * spec.priority} in both tiers. Rules of a ClusterNetworkPolicy use the same model: Accept is {@link
 * Action#ALLOW}, {@code protocols} are the rule's {@code ports}, one entry each. {@code audited}: the
 * policy opted in to the audit log (annotation {@value #AUDIT_ANNOTATION} set to {@code "true"}).
 */
public record AdminPolicy(
        ObjectRef ref,
        Tier tier,
        int priority,
        Subject subject,
        List<Rule> egress,
        List<Rule> ingress,
        List<Diagnostic> readProblems,
        boolean audited) {
    /** The annotation by which a policy opts in to the audit log (docs/decisions.md, "Audit log"). */
    public static final String AUDIT_ANNOTATION = "ovs-anp.io/log";

    /** The kind of a v1alpha2 ClusterNetworkPolicy, in {@link ObjectRef#kind()} (docs/semantics.md). */
    public static final String CLUSTER_NETWORK_POLICY = "ClusterNetworkPolicy";

    public AdminPolicy {
        if (tier == Tier.NETWORK_POLICY) {
            throw new IllegalArgumentException("AdminPolicy cannot be in the NetworkPolicy tier");
        }
        egress = List.copyOf(egress);
        ingress = List.copyOf(ingress);
        readProblems = List.copyOf(readProblems);
    }

    /** A policy that did not opt in to the audit log. */
    public AdminPolicy(
            ObjectRef ref,
            Tier tier,
            int priority,
            Subject subject,
            List<Rule> egress,
            List<Rule> ingress,
            List<Diagnostic> readProblems) {
        this(ref, tier, priority, subject, egress, ingress, readProblems, false);
    }

    /** A policy without ingress rules. */
    public AdminPolicy(
            ObjectRef ref, Tier tier, int priority, Subject subject, List<Rule> egress, List<Diagnostic> readProblems) {
        this(ref, tier, priority, subject, egress, List.of(), readProblems);
    }

    public int ingressRuleCount() {
        return ingress.size();
    }

    /** The rules of one direction. */
    public List<Rule> rules(Direction d) {
        return d == Direction.EGRESS ? egress : ingress;
    }

    /** True for a v1alpha2 ClusterNetworkPolicy, false for an ANP or BANP. */
    public boolean isClusterNetworkPolicy() {
        return isClusterNetworkPolicy(ref);
    }

    public static boolean isClusterNetworkPolicy(ObjectRef ref) {
        return ref.kind().equals(CLUSTER_NETWORK_POLICY);
    }
}
