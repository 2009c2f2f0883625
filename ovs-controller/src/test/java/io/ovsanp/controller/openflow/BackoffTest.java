package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysDoubleFrom100MillisTo8SecondsWithJitterInTheUpperHalf() {
        Backoff most = new Backoff(() -> 0.999999);
        Backoff least = new Backoff(() -> 0.0);
        List<Long> upper = new ArrayList<>();
        List<Long> lower = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            upper.add(most.next().toMillis());
            lower.add(least.next().toMillis());
        }
        assertThat(upper).containsExactly(99L, 199L, 399L, 799L, 1599L, 3199L, 6399L, 7999L, 7999L, 7999L);
        assertThat(lower).containsExactly(50L, 100L, 200L, 400L, 800L, 1600L, 3200L, 4000L, 4000L, 4000L);
    }

    @Test
    void resetStartsOverAt100Millis() {
        Backoff b = new Backoff(() -> 0.999999);
        b.next();
        b.next();
        b.next();
        b.reset();
        assertThat(b.next()).isLessThanOrEqualTo(Duration.ofMillis(100));
    }
}
