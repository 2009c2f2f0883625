package io.ovsanp.controller.run;

import io.ovsanp.compiler.verify.Counterexample;
import io.ovsanp.compiler.verify.VerifyResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One periodic verification of a switch ({@link LoopOptions#verifyInterval()}): the verifier's result,
 * or why there is none (the dump failed, a flow in the stage could not be read).
 *
 * @param result the result, when the switch's flows could be verified
 * @param error why they could not, when they could not
 * @param took from the dump's start to the verdict
 */
public record VerifyOutcome(Optional<VerifyResult> result, String error, Duration took) {
    public VerifyOutcome {
        Objects.requireNonNull(result);
        Objects.requireNonNull(error);
        Objects.requireNonNull(took);
        if (result.isPresent() == !error.isEmpty()) {
            throw new IllegalArgumentException("exactly one of result and error");
        }
    }

    public static VerifyOutcome of(VerifyResult result, Duration took) {
        return new VerifyOutcome(Optional.of(result), "", took);
    }

    public static VerifyOutcome failed(String error, Duration took) {
        return new VerifyOutcome(Optional.empty(), error, took);
    }

    /** The switch's flows were read and are equal to the policies. */
    public boolean equal() {
        return result.map(VerifyResult::equal).orElse(false);
    }

    /** {@code equal}, {@code different} or {@code error}: the metric's outcome label. */
    public String kind() {
        return result.map(r -> r.equal() ? "equal" : "different").orElse("error");
    }

    /**
     * One line for a log or a status message: how many cells differ, with the first counterexample;
     * or the error.
     */
    public String summary() {
        if (result.isEmpty()) return "not verified: " + error;
        VerifyResult r = result.get();
        if (r.equal()) return "equal to the policies in all " + r.cellsChecked() + " cells";
        StringBuilder b = new StringBuilder("the switch's flows differ from the policies in ")
                .append(r.cellsDiffering())
                .append(" of ")
                .append(r.cellsChecked())
                .append(" cells");
        if (!r.counterexamples().isEmpty()) {
            Counterexample c = r.counterexamples().get(0);
            b.append(", e.g. ")
                    .append(c.packet())
                    .append(": switch ")
                    .append(c.switchAllows() ? "ALLOW" : "DENY")
                    .append(", policy ")
                    .append(c.evaluatorAllows() ? "ALLOW" : "DENY");
        }
        return b.append(" (ovs-anp verify)").toString();
    }
}
