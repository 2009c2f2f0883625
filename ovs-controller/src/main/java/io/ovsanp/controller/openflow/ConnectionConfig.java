package io.ovsanp.controller.openflow;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Timing of one OpenFlow connection, and where its futures complete.
 *
 * @param echoInterval after this long without any message from the switch we send ECHO_REQUEST
 *     (docs/ovs-notes.md §5.3: unix sockets do not report a dead peer on an idle connection)
 * @param deadAfter after this long without any message the connection is closed as dead
 * @param handshakeTimeout HELLO, FEATURES and (for ssl) the TLS handshake must finish within this
 * @param callbacks completes the futures the connection hands out, so that code chained on them
 *     never runs on (and never blocks) a Netty event loop
 * @param packetIns receives the switch's PACKET_INs ({@link PacketInSink#NONE}: none are asked for)
 */
public record ConnectionConfig(
        Duration echoInterval,
        Duration deadAfter,
        Duration handshakeTimeout,
        Executor callbacks,
        PacketInSink packetIns) {
    /** Echo every 5 s (OVS's own inactivity probe), dead after 3 intervals, 10 s handshake. */
    public static final ConnectionConfig DEFAULT = withEchoInterval(Duration.ofSeconds(5));

    public ConnectionConfig {
        positive(echoInterval, "echoInterval");
        positive(deadAfter, "deadAfter");
        positive(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(callbacks);
        Objects.requireNonNull(packetIns);
        if (deadAfter.compareTo(echoInterval) <= 0) {
            throw new IllegalArgumentException("deadAfter must exceed echoInterval, or no echo is ever answered");
        }
    }

    public ConnectionConfig(Duration echoInterval, Duration deadAfter, Duration handshakeTimeout, Executor callbacks) {
        this(echoInterval, deadAfter, handshakeTimeout, callbacks, PacketInSink.NONE);
    }

    /** {@code deadAfter} three intervals, a 10 s handshake, callbacks on the common pool. */
    public static ConnectionConfig withEchoInterval(Duration echoInterval) {
        return new ConnectionConfig(
                echoInterval, echoInterval.multipliedBy(3), Duration.ofSeconds(10), ForkJoinPool.commonPool());
    }

    public ConnectionConfig withHandshakeTimeout(Duration timeout) {
        return new ConnectionConfig(echoInterval, deadAfter, timeout, callbacks, packetIns);
    }

    public ConnectionConfig withPacketIns(PacketInSink sink) {
        return new ConnectionConfig(echoInterval, deadAfter, handshakeTimeout, callbacks, sink);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
