package io.ovsanp.compiler.eval;

import java.util.Objects;

/**
 * The verdict of one connection: its egress side (the source pod's policies, judged at the source's
 * node) and its ingress side (the destination pod's, judged at the destination's node). Allowed only
 * when both allow; an Allow on one side never bypasses the other.
 */
public record ConnectionVerdict(Verdict egress, Verdict ingress) {
    public ConnectionVerdict {
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(ingress, "ingress");
    }

    public boolean allowed() {
        return egress.allowed() && ingress.allowed();
    }

    /** {@code ALLOW} or {@code DENY}, then one line per side: {@code egress: ...}, {@code ingress: ...}. */
    public String describe() {
        return (allowed() ? "ALLOW" : "DENY") + "\n  egress:  " + egress.describe() + "\n  ingress: "
                + ingress.describe();
    }
}
