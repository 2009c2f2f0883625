package io.ovsanp.controller.cli;

import picocli.CommandLine.Option;

/** {@code --switch TARGET} for a command that can also work without a switch. */
final class OptionalSwitchOptions extends SwitchAccess {
    @Option(names = "--switch", paramLabel = "TARGET", description = SwitchOptions.TARGET_HELP)
    String target;

    @Override
    String target() {
        return target;
    }

    boolean given() {
        return target != null;
    }
}
