package io.ovsanp.controller.cli;

import picocli.CommandLine.Option;

/** {@code --switch TARGET}, required, and the TLS files for {@code ssl:} targets. */
final class SwitchOptions extends SwitchAccess {
    static final String TARGET_HELP =
            "unix:PATH (e.g. unix:/run/openvswitch/br-int.mgmt), tcp:HOST:PORT or ssl:HOST:PORT.";

    @Option(names = "--switch", required = true, paramLabel = "TARGET", description = TARGET_HELP)
    String target;

    @Override
    String target() {
        return target;
    }
}
