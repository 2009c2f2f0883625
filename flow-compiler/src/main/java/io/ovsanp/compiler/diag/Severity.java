package io.ovsanp.compiler.diag;

/** How much a diagnostic matters. Errors and warnings make {@code ovs-anp validate} exit 1. */
public enum Severity {
    /** Invalid input; the affected rule or policy is realised fail-closed. */
    ERROR,
    /** Valid input whose effect may surprise (overlap, unenforced ingress). */
    WARNING,
    /** Information only (skipped kinds, normalised values). */
    NOTE;

    public boolean counts() {
        return this != NOTE;
    }
}
