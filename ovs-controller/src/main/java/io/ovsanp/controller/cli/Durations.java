package io.ovsanp.controller.cli;

import java.time.Duration;

/** {@code 500ms}, {@code 60s}, {@code 5m}. */
final class Durations {
    private Durations() {}

    static Duration parse(String option, String text) throws BadInput {
        try {
            if (text.endsWith("ms")) return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            if (text.endsWith("s")) return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            if (text.endsWith("m")) return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new BadInput(option + " must look like 500ms, 60s or 5m, not " + text);
    }
}
