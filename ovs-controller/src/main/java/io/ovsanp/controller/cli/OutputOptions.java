package io.ovsanp.controller.cli;

import picocli.CommandLine.Option;

/**
 * {@code -o/--output text|json} of {@code explain}, {@code validate} and {@code diff}
 * ({@code @Mixin OutputOptions output}): text for people, one JSON document on stdout for scripts. The
 * exit codes do not depend on it.
 */
final class OutputOptions {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (default) or json: one JSON document on stdout; exit codes as for text.")
    String output;

    /** Whether JSON was asked for; bad input for anything but text or json. */
    boolean json() throws BadInput {
        return switch (output) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new BadInput("-o/--output must be text or json, not " + output);
        };
    }
}
