package io.ovsanp.controller.openflow;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection to an active target up: connects, and after any failure or disconnect
 * (ovs-vswitchd restarted, switch declared dead) tries again with {@link Backoff}. Every successful
 * (re)connect is announced to the {@link #onConnected} listeners, one at a time, in order, on a
 * thread of this object's own: a restarted ovs-vswitchd has no flows, so that is where the
 * reconciler resyncs. Listeners may block; they delay only later announcements.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write/close/schedule futures: failures reach exceptionCaught or
// channelInactive
public final class ReconnectingSwitch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingSwitch.class);

    private final SwitchTarget target;
    private final Optional<TlsConfig> tls;
    private final ConnectionConfig config;
    private final List<Consumer<OfConnection>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events;
    private final Backoff backoff =
            new Backoff(() -> ThreadLocalRandom.current().nextDouble());
    private volatile Optional<OfConnection> current = Optional.empty();
    private volatile boolean closed;
    private boolean started;
    private int failures; // guarded by this

    public ReconnectingSwitch(SwitchTarget target, Optional<TlsConfig> tls) {
        this(target, tls, ConnectionConfig.DEFAULT);
    }

    /** @throws IllegalArgumentException for a passive target or a TLS setting that does not fit it */
    public ReconnectingSwitch(SwitchTarget target, Optional<TlsConfig> tls, ConnectionConfig config) {
        if (!target.isActive()) {
            throw new IllegalArgumentException(target + " is passive: use SwitchListener.listen");
        }
        SwitchConnector.sslContext(target, tls, false); // fail now on a bad TLS setting, not in a retry loop
        this.target = target;
        this.tls = Objects.requireNonNull(tls);
        this.config = Objects.requireNonNull(config);
        this.events = Executors.newSingleThreadExecutor(new DefaultThreadFactory("ovs-anp-switch-events", true));
    }

    /** Adds a listener for every future (re)connect; also called at once if connected now. */
    public ReconnectingSwitch onConnected(Consumer<OfConnection> listener) {
        Objects.requireNonNull(listener);
        synchronized (this) {
            listeners.add(listener);
            current.ifPresent(c -> announce(c, List.of(listener)));
        }
        return this;
    }

    /** Starts connecting (once). */
    public synchronized ReconnectingSwitch start() {
        if (!started) {
            started = true;
            attempt();
        }
        return this;
    }

    /** The connection if it is up now. */
    public Optional<OfConnection> current() {
        return current.filter(OfConnection::isActive);
    }

    /** Stops reconnecting and closes the current connection. */
    @Override
    public void close() {
        Optional<OfConnection> open;
        synchronized (this) {
            closed = true;
            open = current;
        }
        open.ifPresent(OfConnection::close);
        events.shutdown();
    }

    private void attempt() {
        if (closed) {
            return;
        }
        SwitchConnector.connect(target, tls, config).whenComplete((conn, error) -> {
            if (error != null) {
                retry(String.valueOf(error.getMessage()));
            } else {
                connected(conn);
            }
        });
    }

    private void connected(OfConnection conn) {
        synchronized (this) {
            if (closed) {
                conn.close();
                return;
            }
            backoff.reset();
            failures = 0;
            current = Optional.of(conn);
            announce(conn, List.copyOf(listeners));
        }
        conn.closeFuture().thenRun(() -> {
            synchronized (this) {
                current = current.filter(c -> c != conn);
            }
            if (!closed) {
                retry("lost " + conn + " (" + conn.closeReason().orElse("closed") + ")");
            }
        });
    }

    private void announce(OfConnection conn, List<Consumer<OfConnection>> to) {
        try {
            events.execute(() -> {
                for (Consumer<OfConnection> l : to) {
                    if (!conn.isActive()) {
                        return; // a later reconnect announces its own connection
                    }
                    try {
                        l.accept(conn);
                    } catch (RuntimeException e) {
                        log.error("{}: an onConnected listener failed", conn, e);
                    }
                }
            });
        } catch (RejectedExecutionException closedMeanwhile) {
            // close() ran; nobody is listening any more
        }
    }

    private void retry(String why) {
        if (closed) {
            return;
        }
        Duration delay;
        int n;
        synchronized (this) {
            delay = backoff.next();
            n = ++failures;
        }
        // The first failure in a row is news; the rest of a long outage would flood the log.
        if (n == 1) {
            log.info("{}; retrying in {} ms", why, delay.toMillis());
        } else {
            log.debug("{} (attempt {}); retrying in {} ms", why, n, delay.toMillis());
        }
        // Off the event loop: resolving a tcp:/ssl: host name may block.
        Transport.shared()
                .group()
                .next()
                .schedule(() -> config.callbacks().execute(this::attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
