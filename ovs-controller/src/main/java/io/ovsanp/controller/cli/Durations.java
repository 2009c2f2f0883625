package io.ovsanp.controller.cli;

import java.time.Duration;

/**
 * {@code 500ms}, {@code 60s}, {@code 5m}. Every duration flag is an interval or a timeout, so zero
 * and negative values are refused: {@code sync --poll-interval -1s} used to spin without waiting.
 */
final class Durations {
    private Durations() {}

    static Duration parse(String option, String text) throws BadInput {
        Duration d = null;
        try {
            if (text.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            else if (text.endsWith("s")) d = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            else if (text.endsWith("m")) d = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        } catch (NumberFormatException | ArithmeticException e) {
            // fall through to the message below
        }
        if (d == null) {
            throw new BadInput(option + " must look like 500ms, 60s or 5m, not " + text);
        }
        if (d.isZero() || d.isNegative()) {
            throw new BadInput(option + " must be positive, not " + text);
        }
        return d;
    }
}
