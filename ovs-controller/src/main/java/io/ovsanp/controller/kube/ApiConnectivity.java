package io.ovsanp.controller.kube;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the controller still sees the Kubernetes API, as its informers tell: the cluster view is
 * fresh while every informer has its watch open ({@link ClusterWatcher#watching()}), and stale from
 * the last moment they all had it open until they all have it again ({@link #staleFor()}).
 *
 * <p>Lost: the view is stale and either the client failed to connect to the server since it was last
 * fresh ({@link ApiFailures}), or it has been stale for {@link #LOSS_GRACE}. A watch also closes
 * without any failure, for about a second, when fabric8 renews it (every 5 to 10 minutes per
 * informer) or relists after 410 Gone: that is no loss. Regained: lost, then every watch open again.
 * Each loss and each regain is logged once, whatever the number of informers and retries: the loss at
 * WARN with the client's last connection failure, the regain at INFO with the outage's length
 * (counted from the last fresh moment).
 *
 * <p>Not noticed: a connection that silently stops carrying data (a partition without a reset). The
 * watch then looks open until the client's next request on it fails, at the latest when fabric8
 * renews it.
 */
public final class ApiConnectivity implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiConnectivity.class);

    /** How often {@link #start} looks at the informers. */
    public static final Duration POLL_PERIOD = Duration.ofMillis(500);

    /** Stale this long without any connection failure is a loss too (the API answers, but no watch). */
    public static final Duration LOSS_GRACE = Duration.ofSeconds(10);

    private final String server;
    private final BooleanSupplier watching;
    private final ApiFailures failures;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer;
    // guarded by this
    private long freshAt; // nanoTime of the last poll that found every watch open
    private boolean stale;
    private boolean lost;

    ApiConnectivity(
            String server,
            BooleanSupplier watching,
            ApiFailures failures,
            LongSupplier nanoTime,
            ScheduledExecutorService timer) {
        this.server = Objects.requireNonNull(server);
        this.watching = Objects.requireNonNull(watching);
        this.failures = Objects.requireNonNull(failures);
        this.nanoTime = Objects.requireNonNull(nanoTime);
        this.timer = timer;
        this.freshAt = nanoTime.getAsLong();
    }

    /**
     * Follows {@code watching} (e.g. {@link ClusterWatcher#watching()}) every {@link #POLL_PERIOD} on
     * a daemon thread, from now on: call it once the view has synced, so that the wait for the first
     * sync is not taken for a loss.
     *
     * @param server the API server's URL, for the log
     */
    public static ApiConnectivity start(String server, BooleanSupplier watching, ApiFailures failures) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ovs-anp-api-connectivity");
            t.setDaemon(true);
            return t;
        });
        ApiConnectivity c = new ApiConnectivity(server, watching, failures, System::nanoTime, timer);
        long period = POLL_PERIOD.toMillis();
        timer.scheduleWithFixedDelay(c::pollQuietly, period, period, TimeUnit.MILLISECONDS);
        return c;
    }

    /** For tests: polled by hand, on the given clock. */
    static ApiConnectivity manual(String server, BooleanSupplier watching, ApiFailures failures, LongSupplier clock) {
        return new ApiConnectivity(server, watching, failures, clock, null);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            // a failure here must not end the schedule (the executor would drop it silently)
            LOG.warn("checking the Kubernetes API watches failed: {}", e.toString());
        }
    }

    /** Looks at the watches once; logs a loss or a regain. */
    synchronized void poll() {
        long now = nanoTime.getAsLong();
        if (watching.getAsBoolean()) {
            if (lost) {
                LOG.info("regained the Kubernetes API server after {} s", wholeSeconds(now - freshAt));
            }
            freshAt = now;
            stale = false;
            lost = false;
            return;
        }
        stale = true;
        if (lost) {
            return;
        }
        // a failure before the last fresh moment is old news (e.g. a Lease renewal that was retried)
        Optional<ApiFailures.Failure> failure = failures.latest().filter(f -> f.atNanos() - freshAt > 0);
        if (failure.isPresent() || now - freshAt >= LOSS_GRACE.toNanos()) {
            lost = true;
            String cause = failure.map(ApiFailures.Failure::cause)
                    .orElse("no watch open for " + wholeSeconds(now - freshAt) + " s");
            LOG.warn(
                    "lost the Kubernetes API server {}: {}; the cluster view is frozen, switches keep their flows",
                    server,
                    cause);
        }
    }

    /** Zero while every watch is open; else the time since they last all were (as of the last poll). */
    public synchronized Duration staleFor() {
        return stale ? Duration.ofNanos(nanoTime.getAsLong() - freshAt) : Duration.ZERO;
    }

    /** Whether the API is lost now (logged as such, not regained yet). */
    public synchronized boolean lost() {
        return lost;
    }

    private static long wholeSeconds(long nanos) {
        return Math.round(nanos / 1e9);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
