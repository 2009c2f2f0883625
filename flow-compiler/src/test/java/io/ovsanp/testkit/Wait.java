package io.ovsanp.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for a condition in tests. */
public final class Wait {
    private Wait() {}

    /** Polls {@code condition} every 20 ms; throws {@link IllegalStateException} naming {@code what} on timeout. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
