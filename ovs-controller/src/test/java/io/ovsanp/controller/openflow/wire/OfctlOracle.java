package io.ovsanp.controller.openflow.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code ovs-ofctl} as the decoding oracle (docs/ovs-notes.md §3). Without ovs-ofctl the calling test
 * is skipped with a message, except under {@code CI=true}, where a missing oracle fails the build.
 */
final class OfctlOracle {
    private OfctlOracle() {}

    static void assumeAvailable() {
        boolean available;
        try {
            available = run(List.of("ovs-ofctl", "--version")).contains("Open vSwitch");
        } catch (IOException e) {
            available = false;
        }
        if (!available) {
            String why = "ovs-ofctl (package openvswitch-common) is not installed; the oracle test needs it";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + " and CI=true");
            }
            Assumptions.abort(why);
        }
    }

    /** {@code ovs-ofctl ofp-print HEX}: OVS's decoding of one message, first line only. */
    static String ofpPrint(byte[] message) {
        try {
            return run(List.of("ovs-ofctl", "ofp-print", Fixtures.hex(message))).strip();
        } catch (IOException e) {
            throw new AssertionError("ovs-ofctl ofp-print failed", e);
        }
    }

    static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
