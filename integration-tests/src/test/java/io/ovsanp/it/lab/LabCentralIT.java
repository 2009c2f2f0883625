package io.ovsanp.it.lab;

import org.junit.jupiter.api.Assumptions;

/**
 * The user stories in the lab with the central controller ({@code ovs-anp run --listen pssl:6653},
 * every br-int connected to it with its own node certificate, policies applied through the
 * dev-apiserver). Skipped, with the
 * reason, in a build without {@code ovs-anp run}.
 */
class LabCentralIT extends LabClusterChanges {
    private static Boolean available;

    @Override
    String controller() {
        return "central";
    }

    @Override
    boolean runsRepeatedStories() {
        return false;
    }

    @Override
    void assumeControllerAvailable() {
        synchronized (LabCentralIT.class) {
            if (available == null) {
                available = Lab.hasRunCommand();
                if (!available) {
                    System.err.println("[lab] skipping the central-mode lab tests: this build has no `ovs-anp run`");
                }
            }
        }
        Assumptions.assumeTrue(available, "central mode needs `ovs-anp run` (not in this build)");
    }
}
