package io.ovsanp.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for a condition in tests. */
public final class Wait {
    private static final Duration EVERY = Duration.ofMillis(20);

    private Wait() {}

    /** Polls {@code condition} every 20 ms; throws {@link IllegalStateException} naming {@code what} on timeout. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        until(condition, timeout, EVERY, what);
    }

    /**
     * Polls {@code condition} every {@code every} (longer for a condition that runs a program or asks
     * a server); throws {@link IllegalStateException} naming {@code what} on timeout.
     */
    public static void until(BooleanSupplier condition, Duration timeout, Duration every, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
