package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.diag.ObjectRef;

/**
 * Identity of a rule: its tier, policy, direction, index in {@code spec.egress} or {@code spec.ingress}
 * and name. Stable across recompiles; the key of priority and conjunction-id allocation.
 */
public record RuleRef(Tier tier, ObjectRef policy, int index, String name, Direction direction)
        implements Comparable<RuleRef> {

    public RuleRef {
        java.util.Objects.requireNonNull(direction, "direction");
    }

    /** An egress rule. */
    public RuleRef(Tier tier, ObjectRef policy, int index, String name) {
        this(tier, policy, index, name, Direction.EGRESS);
    }

    public boolean ingress() {
        return direction == Direction.INGRESS;
    }

    public String path() {
        return "spec." + direction.field() + "[" + index + "]";
    }

    /** {@code AdminNetworkPolicy/deny-internet egress[0] "block"}. */
    public String display() {
        return policy.display() + " " + direction.field() + "[" + index + "]"
                + (name.isEmpty() ? "" : " \"" + name + "\"");
    }

    /**
     * Stable text key, used by allocations. A policy whose kind is not its tier's (a
     * ClusterNetworkPolicy) has its kind in the key, so an ANP and a CNP of one name never share a rule
     * id; keys of ANP, BANP and NetworkPolicy rules are as they always were.
     */
    public String key() {
        String kind = policy.kind().equals(tier.kind()) ? "" : policy.kind() + "|";
        return tier + "|" + kind + policy.namespace() + "|" + policy.name() + "|" + policy.uid() + "|" + index
                + (direction == Direction.INGRESS ? "|ingress" : "");
    }

    @Override
    public int compareTo(RuleRef o) {
        int c = tier.compareTo(o.tier);
        if (c == 0) c = policy.compareTo(o.policy);
        if (c == 0) c = direction.compareTo(o.direction);
        return c != 0 ? c : Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return display();
    }
}
