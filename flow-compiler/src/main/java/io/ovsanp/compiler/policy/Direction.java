package io.ovsanp.compiler.policy;

/**
 * Which side of a connection a rule judges. Egress rules are enforced at the source pod's node and
 * their peers are destinations ({@code to}); ingress rules are enforced at the destination pod's node
 * and their peers are sources ({@code from}). A connection is allowed only if both sides allow it.
 */
public enum Direction {
    EGRESS("egress", "to"),
    INGRESS("ingress", "from");

    private final String field;
    private final String peersField;

    Direction(String field, String peersField) {
        this.field = field;
        this.peersField = peersField;
    }

    /** The spec field of the rule list: {@code egress} or {@code ingress}. */
    public String field() {
        return field;
    }

    /** The rule's peer list field: {@code to} or {@code from}. */
    public String peersField() {
        return peersField;
    }
}
