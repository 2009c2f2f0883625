package io.ovsanp.controller.openflow;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: 100 ms doubling to 8 s (OVS's own {@code max_backoff} default, docs/ovs-notes.md §5.3),
 * each drawn uniformly from [d/2, d] so that controllers restarted together spread out.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofSeconds(8);

    private final DoubleSupplier random;
    private long nextMillis = FIRST.toMillis();

    /** {@code random} yields values in [0, 1). */
    Backoff(DoubleSupplier random) {
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the following one, up to {@link #MAX}. */
    Duration next() {
        long d = nextMillis;
        nextMillis = Math.min(MAX.toMillis(), nextMillis * 2);
        return Duration.ofMillis(d / 2 + (long) (random.getAsDouble() * (d - d / 2)));
    }

    /** After a successful connection the next failure starts from {@link #FIRST} again. */
    void reset() {
        nextMillis = FIRST.toMillis();
    }
}
