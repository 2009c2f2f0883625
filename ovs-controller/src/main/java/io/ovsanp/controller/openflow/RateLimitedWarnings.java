package io.ovsanp.controller.openflow;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Rate-limits WARN lines about failures that an outsider can cause at will (connections to a
 * listener): per window, each distinct line is logged once, up to {@code perWindow}
 * lines; everything else is only counted, and {@link #summary} gives one line for the window ("7000
 * failed handshakes from 3 addresses in the last 1 min, 3 shown"). Pure bookkeeping: the caller
 * passes the time and writes the lines, so a flood costs a counter, not a log line. Thread-safe.
 */
public final class RateLimitedWarnings {
    private final String what;
    private final int perWindow;
    private final long windowNanos;
    private final String windowText;
    private final Set<String> shown = new HashSet<>();
    private final Set<String> addresses = new LinkedHashSet<>();
    private long windowStart;
    private boolean started;
    private long count;
    private String last = "";

    /**
     * @param what the plural noun of the summary ("failed handshakes")
     * @param perWindow how many distinct lines a window logs in full
     */
    public RateLimitedWarnings(String what, int perWindow, Duration window) {
        this.what = Objects.requireNonNull(what);
        if (perWindow < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("perWindow >= 0 and a positive window: " + perWindow + ", " + window);
        }
        this.perWindow = perWindow;
        this.windowNanos = window.toNanos();
        this.windowText = window.toSeconds() % 60 == 0 && window.toSeconds() > 0
                ? (window.toMinutes() == 1 ? "minute" : window.toMinutes() + " minutes")
                : window.toMillis() + " ms";
    }

    /**
     * Counts one failure from {@code address} and returns {@code line} to log now, if the same line was
     * not shown yet in this window and the window still has room. The line should name the address and
     * the reason, without ephemeral details (a source port) that would make every line distinct.
     */
    public synchronized Optional<String> failed(String address, String line, long nowNanos) {
        if (!started || (count == 0 && nowNanos - windowStart >= windowNanos)) {
            startWindow(nowNanos); // an ended window with nothing to summarise: start afresh here
        }
        count++;
        addresses.add(address);
        last = line;
        if (shown.size() < perWindow && shown.add(line)) {
            return Optional.of(line);
        }
        return Optional.empty();
    }

    /**
     * When the window has ended: the summary line if it had failures that were not all shown (empty
     * otherwise), and a new window begins. Before the window's end: empty, nothing changes.
     */
    public synchronized Optional<String> summary(long nowNanos) {
        if (!started || nowNanos - windowStart < windowNanos) {
            return Optional.empty();
        }
        long notShown = count - shown.size();
        Optional<String> line = notShown <= 0
                ? Optional.empty()
                : Optional.of(count + " " + what + " from " + addresses.size() + " address"
                        + (addresses.size() == 1 ? "" : "es") + " in the last " + windowText + ", " + shown.size()
                        + " shown; the last: " + last);
        startWindow(nowNanos);
        return line;
    }

    private void startWindow(long nowNanos) {
        started = true;
        windowStart = nowNanos;
        shown.clear();
        addresses.clear();
        count = 0;
        last = "";
    }
}
