package io.ovsanp.compiler.verify;

import java.util.List;

/**
 * The outcome of {@link Verifier#verify}: the number of cells (one packet each) checked, how many
 * of them differ, and the first counterexamples, in the order cells were checked (IPv4 before IPv6,
 * sources, destinations, protocols, ports ascending).
 */
public record VerifyResult(String node, long cellsChecked, long cellsDiffering, List<Counterexample> counterexamples) {
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
