package io.ovsanp.compiler.policy;

/**
 * The pods an ANP/BANP applies to: {@code namespaces} (podSelector = {@link LabelSelector#ALL}) or
 * {@code pods} (namespaceSelector AND podSelector). Host-network pods are never subjects.
 */
public record Subject(LabelSelector namespaceSelector, LabelSelector podSelector) {
    /** Every pod; also what an unreadable subject falls back to (fail-closed). */
    public static final Subject ALL = new Subject(LabelSelector.ALL, LabelSelector.ALL);
}
