package io.ovsanp.compiler.verify;

import io.ovsanp.compiler.eval.Packet;
import java.util.Objects;

/**
 * One packet, the representative of its cell, on which the switch and the evaluator disagree.
 *
 * @param packet the first packet of the connection
 * @param switchAllows whether the flows output it; false also when their verdict is undefined
 * @param switchPath the simulator's table visits, one per line (or why the lookup is undefined)
 * @param evaluatorAllows the node's share of the evaluator's verdict: the egress side when the
 *     source is a pod of the node, the ingress side when the destination is, both when both
 * @param evaluatorReason the deciding side(s), each with its deciding rule ({@code Verdict.describe()})
 */
public record Counterexample(
        Packet packet, boolean switchAllows, String switchPath, boolean evaluatorAllows, String evaluatorReason) {
    public Counterexample {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(switchPath, "switchPath");
        Objects.requireNonNull(evaluatorReason, "evaluatorReason");
    }

    /** Several lines: the packet and both verdicts, then the switch's path indented. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(packet)
                .append(": switch ")
                .append(switchAllows ? "ALLOW" : "DENY")
                .append(", evaluator ")
                .append(evaluatorAllows ? "ALLOW" : "DENY")
                .append("\n  evaluator: ")
                .append(evaluatorReason.replace("\n", "\n  "))
                .append("\n  switch:");
        for (String line : switchPath.split("\n", -1)) {
            b.append("\n    ").append(line);
        }
        return b.toString();
    }
}
