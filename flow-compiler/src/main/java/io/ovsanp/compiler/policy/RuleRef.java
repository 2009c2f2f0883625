package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.ObjectRef;

/**
 * Identity of a rule: its tier, policy, index in {@code spec.egress} and name. Stable across
 * recompiles; the key of priority and conjunction-id allocation.
 */
public record RuleRef(Tier tier, ObjectRef policy, int index, String name) implements Comparable<RuleRef> {

    public String path() {
        return "spec.egress[" + index + "]";
    }

    /** {@code AdminNetworkPolicy/deny-internet egress[0] "block"}. */
    public String display() {
        return policy.display() + " egress[" + index + "]" + (name.isEmpty() ? "" : " \"" + name + "\"");
    }

    /**
     * Stable text key, used by allocations. A policy whose kind is not its tier's (a
     * ClusterNetworkPolicy) has its kind in the key, so an ANP and a CNP of one name never share a rule
     * id; keys of ANP, BANP and NetworkPolicy rules are as they always were.
     */
    public String key() {
        String kind = policy.kind().equals(tier.kind()) ? "" : policy.kind() + "|";
        return tier + "|" + kind + policy.namespace() + "|" + policy.name() + "|" + policy.uid() + "|" + index;
    }

    @Override
    public int compareTo(RuleRef o) {
        int c = tier.compareTo(o.tier);
        if (c == 0) c = policy.compareTo(o.policy);
        return c != 0 ? c : Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return display();
    }
}
