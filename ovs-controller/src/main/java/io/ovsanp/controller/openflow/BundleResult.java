package io.ovsanp.controller.openflow;

import java.time.Duration;

/**
 * A committed bundle.
 *
 * @param flowMods how many flow-mods it carried
 * @param elapsedNanos from sending OPEN to receiving COMMIT_REPLY
 */
public record BundleResult(int flowMods, long elapsedNanos) {
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos);
    }
}
