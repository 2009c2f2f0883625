package io.ovsanp.controller.openflow;

import java.time.Duration;
import java.util.Objects;

/**
 * What a listener ({@code ptcp:}/{@code pssl:}) allows an unauthenticated peer before it has proved
 * anything: connections in their handshake at once, in total and per source address (the handshake's
 * time limit is {@link ConnectionConfig#handshakeTimeout()}); and how failures are logged: each
 * distinct (address, reason) once per {@code logWindow}, at most {@code loggedPerWindow} lines, then
 * one summary line per window.
 */
public record ListenerLimits(int maxHandshakes, int maxHandshakesPerAddress, int loggedPerWindow, Duration logWindow) {
    /** 64 handshakes at once, 8 per address; 5 failure lines a minute, then a summary. */
    public static final ListenerLimits DEFAULT = new ListenerLimits(64, 8, 5, Duration.ofMinutes(1));

    public ListenerLimits {
        if (maxHandshakes < 1 || maxHandshakesPerAddress < 1 || maxHandshakesPerAddress > maxHandshakes) {
            throw new IllegalArgumentException("handshake limits must be positive, the per-address one at most the"
                    + " total: " + maxHandshakes + ", " + maxHandshakesPerAddress);
        }
        if (loggedPerWindow < 0) {
            throw new IllegalArgumentException("loggedPerWindow must not be negative: " + loggedPerWindow);
        }
        Objects.requireNonNull(logWindow);
        if (logWindow.isNegative() || logWindow.isZero()) {
            throw new IllegalArgumentException("logWindow must be positive: " + logWindow);
        }
    }

    public ListenerLimits withHandshakes(int total, int perAddress) {
        return new ListenerLimits(total, perAddress, loggedPerWindow, logWindow);
    }

    /** The failure log of a listener with these limits. */
    public RateLimitedWarnings failureLog(String what) {
        return new RateLimitedWarnings(what, loggedPerWindow, logWindow);
    }
}
