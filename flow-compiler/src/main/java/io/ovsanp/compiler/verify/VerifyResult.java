package io.ovsanp.compiler.verify;

import java.util.List;

/**
 * The outcome of {@link Verifier#verify}: the number of cells checked (each a set of packets the
 * flows and the policies treat alike), how many of them differ, how many packets were run to decide
 * them (cells of one class share one run), and the first counterexamples, in the order cells were
 * checked (IPv4 before IPv6; per pod of the node its egress half, then its ingress half; addresses,
 * protocols, ports ascending).
 */
public record VerifyResult(
        String node, long cellsChecked, long cellsDiffering, long packetsRun, List<Counterexample> counterexamples) {
    public VerifyResult {
        counterexamples = List.copyOf(counterexamples);
        if (cellsDiffering < counterexamples.size() || cellsDiffering > cellsChecked) {
            throw new IllegalArgumentException(
                    cellsDiffering + " differing cells for " + counterexamples.size() + " counterexamples");
        }
    }

    /** True when the switch's verdict equals the evaluator's in every cell. */
    public boolean equal() {
        return cellsDiffering == 0;
    }
}
