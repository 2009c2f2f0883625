package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitedWarningsTest {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @Test
    void aFloodIsAFewLinesAndOneSummaryPerWindow() {
        RateLimitedWarnings w = new RateLimitedWarnings("failed handshakes", 3, Duration.ofMinutes(1));
        List<String> logged = new ArrayList<>();
        for (int i = 0; i < 7000; i++) {
            String address = "10.0.0." + (i % 3);
            w.failed(address, address + ": TLS handshake failed", i).ifPresent(logged::add);
        }
        assertThat(logged)
                .containsExactly(
                        "10.0.0.0: TLS handshake failed",
                        "10.0.0.1: TLS handshake failed",
                        "10.0.0.2: TLS handshake failed");
        assertThat(w.summary(MINUTE - 1)).as("not before the window ends").isEmpty();
        assertThat(w.summary(MINUTE))
                .contains("7000 failed handshakes from 3 addresses in the last minute, 3 shown; the last:"
                        + " 10.0.0.0: TLS handshake failed");
        // the next window starts empty: a repeat is shown again, and nothing is summarised twice
        assertThat(w.summary(2 * MINUTE)).isEmpty();
        assertThat(w.failed("10.0.0.0", "10.0.0.0: TLS handshake failed", 2 * MINUTE + 1))
                .isPresent();
    }

    @Test
    void aRepeatedLineIsShownOncePerWindowAndAWindowOfShownLinesNeedsNoSummary() {
        RateLimitedWarnings w = new RateLimitedWarnings("refusals", 5, Duration.ofSeconds(10));
        assertThat(w.failed("a", "a: x", 0)).contains("a: x");
        assertThat(w.failed("b", "b: y", 1)).contains("b: y");
        assertThat(w.summary(Duration.ofSeconds(10).toNanos())).isEmpty();
        assertThat(w.failed("a", "a: x", Duration.ofSeconds(11).toNanos())).contains("a: x");
        assertThat(w.failed("a", "a: x", Duration.ofSeconds(12).toNanos())).isEqualTo(Optional.empty());
        assertThat(w.summary(Duration.ofSeconds(20).toNanos()))
                .contains("2 refusals from 1 address in the last 10000 ms, 1 shown; the last: a: x");
    }

    @Test
    void zeroLinesPerWindowOnlySummarises() {
        RateLimitedWarnings w = new RateLimitedWarnings("failures", 0, Duration.ofMinutes(2));
        assertThat(w.failed("a", "a: x", 0)).isEmpty();
        assertThat(w.summary(2 * MINUTE))
                .contains("1 failures from 1 address in the last 2 minutes, 0 shown; the last: a: x");
    }
}
