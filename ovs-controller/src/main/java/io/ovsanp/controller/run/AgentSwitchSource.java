package io.ovsanp.controller.run;

import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.ListenerLimits;
import io.ovsanp.controller.openflow.PeerIdentity;
import io.ovsanp.controller.openflow.RateLimitedWarnings;
import io.ovsanp.controller.openflow.ReconnectingSwitch;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent mode: the one local switch of this node ({@code unix:}, {@code tcp:} or {@code ssl:}),
 * connected and reconnected with backoff by a {@link ReconnectingSwitch}. Every (re)connect is
 * reported as {@code connected(node, c)}, and its loss as {@code disconnected(node, c)}. Over {@code
 * ssl:}, a switch whose certificate names another node ({@link PeerIdentity}) is another node's
 * switch: it is closed, never handed on, and logged (rate-limited); a certificate that names no node
 * is accepted (the operator chose the address). {@link #unconnectedFor()} says how long the switch has been without an OpenFlow connection, for the
 * agent's liveness: a {@code unix:} socket bind-mounted into a container goes stale when ovs-vswitchd
 * recreates it, and only a restart of the container mounts the new one.
 */
public final class AgentSwitchSource implements SwitchSource {
    private static final Logger log = LoggerFactory.getLogger(AgentSwitchSource.class);

    private final String node;
    private final ReconnectingSwitch sw;
    private final RateLimitedWarnings wrongNode =
            ListenerLimits.DEFAULT.failureLog("connections to another node's switch");
    private final LongSupplier nanoTime;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean started;
    private volatile long unconnectedSince; // nanoTime of start() or of the last connection's close

    /**
     * @param nanoTime the clock of {@link #unconnectedFor()} ({@link System#nanoTime()} in production)
     * @throws IllegalArgumentException for a passive target or TLS files that do not fit the target
     */
    public AgentSwitchSource(
            String node, SwitchTarget target, Optional<TlsConfig> tls, ConnectionConfig config, LongSupplier nanoTime) {
        this.node = Objects.requireNonNull(node);
        this.sw = new ReconnectingSwitch(target, tls, config);
        this.nanoTime = Objects.requireNonNull(nanoTime);
    }

    public AgentSwitchSource(String node, SwitchTarget target, Optional<TlsConfig> tls) {
        this(node, target, tls, ConnectionConfig.DEFAULT, System::nanoTime);
    }

    @Override
    public void start(Sink sink) {
        unconnectedSince = nanoTime.getAsLong();
        started = true;
        sw.onConnected(c -> {
            Optional<PeerIdentity> peer = c.peerIdentity();
            if (peer.isPresent()
                    && !peer.get().nodes().isEmpty()
                    && !peer.get().nodes().contains(node)) {
                wrongNode
                        .failed(
                                c.remote(),
                                c + " presents the " + peer.get().describe() + ", not node " + node
                                        + "'s: closed, nothing written",
                                System.nanoTime())
                        .ifPresent(line -> log.warn("{}", line));
                c.close();
                return;
            }
            open.incrementAndGet();
            sink.connected(node, c);
            c.closeFuture().whenComplete((v, e) -> {
                // the time first: a reader that sees no connection open must see when the last one closed
                unconnectedSince = nanoTime.getAsLong();
                open.decrementAndGet();
                if (started) {
                    // once per loss, with the connection's own reason (not a failed dump per audit)
                    log.warn(
                            "node={} lost the switch at {}: {}; reconnecting",
                            node,
                            c.remote(),
                            c.closeReason().orElse("closed"));
                }
                sink.disconnected(node, c);
            });
        });
        sw.start();
    }

    /**
     * Zero while an OpenFlow connection to the switch is open (handshake done) or before {@link
     * #start}; else the time since the last one closed, or since {@code start} if none opened yet.
     */
    public Duration unconnectedFor() {
        if (!started || open.get() > 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - unconnectedSince));
    }

    @Override
    public void close() {
        started = false; // a connection closed by us is not lost
        sw.close();
    }
}
