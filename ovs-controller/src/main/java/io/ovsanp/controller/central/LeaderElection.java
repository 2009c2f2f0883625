package io.ovsanp.controller.central;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among central replicas on a {@code coordination.k8s.io/v1} Lease, with fabric8's
 * {@link LeaderElector}. Only the leader may write flows and status: {@link #isLeader()} is the
 * reconcile loop's {@code mayWrite} gate.
 *
 * <p>{@link #isLeader()} is true only while we hold the lease <em>and</em> the renewTime of our last
 * successful write of it is less than {@code renewDeadline} ago. fabric8 reports the loss only after its renew
 * loop gives up (and after one more API call that may itself hang), so without that bound a leader cut
 * off from the API could keep writing after the lease expired and another replica took over. With
 * {@code renewDeadline < leaseDuration} the old leader stops before anyone else can start (clock skew
 * between replicas aside, as in client-go).
 *
 * <p>After losing the lease the replica stands for election again. {@link #close()} stops writing at
 * once and then releases the lease, so the other replica takes over within one retry period; it waits
 * for the release at most {@link #RELEASE_WITHIN}: a replica cut off from the API must not hold up
 * its shutdown for the client's retries (about 20 s), and its lease then expires on its own.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    /** How long {@link #close()} waits for the Lease release. */
    public static final Duration RELEASE_WITHIN = Duration.ofSeconds(2);

    private static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /** What the elector tells; called on the elector's thread, must return quickly. */
    public interface Listener {
        /**
         * We hold the lease: everything must be written again (the previous leader may have left gaps),
         * after the switches have made us master with {@code generation} ({@link #generationOf}).
         */
        default void startedLeading(long generation) {}

        /** We no longer hold the lease; {@link #isLeader()} is already false. */
        default void stoppedLeading() {}

        /** The lease holder changed ({@code identity} empty: released, nobody holds it). */
        default void newLeader(Optional<String> identity) {}
    }

    /**
     * Which Lease, who we are, and the timing (client-go's defaults: 15 s lease, 10 s renew deadline,
     * 2 s retry). Requires {@code leaseDuration > renewDeadline > 1.2 × retryPeriod > 0}, as client-go.
     */
    public record Settings(
            String namespace,
            String name,
            String identity,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod) {
        public static final String DEFAULT_NAMESPACE = "ovs-anp";
        public static final String DEFAULT_NAME = "ovs-anp";
        public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
        public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
        public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

        public Settings {
            requireName(namespace, "lease namespace");
            requireName(name, "lease name");
            requireName(identity, "identity");
            if (retryPeriod.isNegative() || retryPeriod.isZero()) {
                throw new IllegalArgumentException("the retry period must be positive, not " + retryPeriod);
            }
            if (renewDeadline.toMillis() * 10 <= retryPeriod.toMillis() * 12) {
                throw new IllegalArgumentException("the renew deadline (" + renewDeadline
                        + ") must be longer than 1.2 × the retry period (" + retryPeriod + ")");
            }
            if (leaseDuration.compareTo(renewDeadline) <= 0) {
                throw new IllegalArgumentException("the lease duration (" + leaseDuration
                        + ") must be longer than the renew deadline (" + renewDeadline + ")");
            }
        }

        /** The given lease and identity with the default timing. */
        public static Settings of(String namespace, String name, String identity) {
            return new Settings(
                    namespace, name, identity, DEFAULT_LEASE_DURATION, DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD);
        }

        public Settings withTiming(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
            return new Settings(namespace, name, identity, leaseDuration, renewDeadline, retryPeriod);
        }

        /** The pod's namespace (the service account's namespace file), else {@value #DEFAULT_NAMESPACE}. */
        public static String defaultNamespace() {
            try {
                String ns = Files.readString(SERVICE_ACCOUNT_NAMESPACE).strip();
                return ns.isEmpty() ? DEFAULT_NAMESPACE : ns;
            } catch (IOException | SecurityException e) {
                return DEFAULT_NAMESPACE;
            }
        }

        /** {@code POD_NAME}, else {@code HOSTNAME} (both set in a pod), else the host name. */
        public static String defaultIdentity(Map<String, String> env) {
            for (String key : new String[] {"POD_NAME", "HOSTNAME"}) {
                String v = env.get(key);
                if (v != null && !v.isBlank()) {
                    return v.strip();
                }
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "ovs-anp-" + ProcessHandle.current().pid();
            }
        }

        private static void requireName(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the " + what + " must not be empty");
            }
        }
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final Listener listener;
    private final ExecutorService executor;
    private volatile boolean leading;
    private volatile long lastRenewTime;
    private volatile long generation;
    private volatile Optional<String> leader = Optional.empty();
    private volatile boolean closed;
    private LeaderElector elector; // guarded by this
    private CompletableFuture<?> running; // guarded by this

    private LeaderElection(KubernetesClient client, Settings settings, Listener listener) {
        this.client = client;
        this.settings = settings;
        this.listener = listener;
        this.lastRenewTime = System.nanoTime() - settings.renewDeadline().toNanos() - 1;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ovs-anp-leader-election");
            t.setDaemon(true);
            return t;
        });
    }

    /** Stands for election in the background; returns at once. */
    public static LeaderElection start(KubernetesClient client, Settings settings, Listener listener) {
        LeaderElection e = new LeaderElection(
                Objects.requireNonNull(client), Objects.requireNonNull(settings), Objects.requireNonNull(listener));
        log.info(
                "standing for election on Lease {}/{} as {} (lease {}, renew deadline {}, retry {})",
                settings.namespace(),
                settings.name(),
                settings.identity(),
                settings.leaseDuration(),
                settings.renewDeadline(),
                settings.retryPeriod());
        e.stand();
        return e;
    }

    /** Whether we may write now: we hold the lease and renewed it within the renew deadline. */
    public boolean isLeader() {
        return leading
                && System.nanoTime() - lastRenewTime < settings.renewDeadline().toNanos();
    }

    /**
     * The OpenFlow role generation_id of the term that began at {@code acquireTime}: its microseconds
     * since the epoch, as the Lease stores it (a MicroTime), so a restarted replica with the same
     * identity derives the same value from the stored record. It grows with every change of holder
     * (each sets a new acquireTime), and survives the Lease being deleted and recreated, which resets
     * leaseTransitions but not the clock; ovs-vswitchd keeps the largest generation it has seen for as
     * long as it runs. It relies on the replicas' clocks: a new leader whose clock is behind the
     * previous leader's by more than the handover took is refused as stale (OFPRRFC_STALE) and
     * writes nothing, so the replicas' clocks must agree (NTP) to well under the retry period
     * (docs/decisions.md, "High availability").
     */
    public static long generationOf(java.time.ZonedDateTime acquireTime) {
        java.time.Instant t = acquireTime.toInstant();
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** The generation of the term we lead (or last led); 0 before the first. */
    public long generation() {
        return generation;
    }

    /** The lease holder as last observed. */
    public Optional<String> leader() {
        return leader;
    }

    public Settings settings() {
        return settings;
    }

    private synchronized void stand() {
        if (closed) {
            return;
        }
        LeaderElectionConfig config = new LeaderElectionConfig(
                new TimedLock(
                        new LeaseLock(settings.namespace(), settings.name(), settings.identity()),
                        renewedAt -> lastRenewTime = renewedAt,
                        record -> generation = generationOf(record.getAcquireTime())),
                settings.leaseDuration(),
                settings.renewDeadline(),
                settings.retryPeriod(),
                new LeaderCallbacks(this::onStart, this::onStop, this::onNewLeader),
                false, // close() stops writing first, then releases explicitly
                settings.name());
        elector = new LeaderElector(client, config, executor);
        CompletableFuture<?> f = elector.start();
        running = f;
        f.whenComplete((v, t) -> {
            stopWriting();
            if (closed) {
                return;
            }
            if (t != null) {
                log.warn("leader election on {}/{} ended: {}", settings.namespace(), settings.name(), t.toString());
            }
            log.info("standing for election again on {}/{}", settings.namespace(), settings.name());
            CompletableFuture.delayedExecutor(settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS)
                    .execute(this::stand);
        });
    }

    private void onStart() {
        if (closed) {
            return;
        }
        leading = true;
        long g = generation;
        log.info(
                "leading: this replica ({}) holds Lease {}/{}, generation {}",
                settings.identity(),
                settings.namespace(),
                settings.name(),
                Long.toUnsignedString(g));
        try {
            listener.startedLeading(g);
        } catch (RuntimeException e) {
            log.error("the startedLeading listener failed", e);
        }
    }

    private void onStop() {
        boolean was = leading;
        stopWriting();
        if (was) {
            log.info("no longer leading: Lease {}/{}", settings.namespace(), settings.name());
        }
    }

    private void stopWriting() {
        boolean was = leading;
        leading = false;
        if (was) {
            try {
                listener.stoppedLeading();
            } catch (RuntimeException e) {
                log.error("the stoppedLeading listener failed", e);
            }
        }
    }

    private void onNewLeader(String identity) {
        Optional<String> now = Optional.ofNullable(identity).filter(s -> !s.isEmpty());
        leader = now;
        log.info("leader of {}/{}: {}", settings.namespace(), settings.name(), now.orElse("nobody"));
        try {
            listener.newLeader(now);
        } catch (RuntimeException e) {
            log.error("the newLeader listener failed", e);
        }
    }

    /** Stops writing at once, stops renewing and releases the lease if we hold it: {@code close(RELEASE_WITHIN)}. */
    @Override
    public void close() {
        close(RELEASE_WITHIN);
    }

    /**
     * Stops writing at once and stops renewing; then, if we held the lease, releases it, waiting at
     * most {@code releaseWithin} for the API server ({@link Duration#ZERO}: do not try, e.g. when the
     * server is known to be unreachable; the lease then passes on when it expires). Returns within
     * about {@code releaseWithin} whatever the API server does.
     */
    public void close(Duration releaseWithin) {
        stop(releaseWithin);
    }

    /** Stops writing and renewing without releasing: what a crash looks like to the other replicas. */
    void abandon() {
        stop(Duration.ZERO);
    }

    private void stop(Duration releaseWithin) {
        LeaderElector e;
        CompletableFuture<?> f;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            e = elector;
            f = running;
        }
        boolean held = leading;
        stopWriting();
        // A renewal blocked on an unreachable server holds the elector's lock, which fabric8's cancel
        // callback and release() both need: interrupt it (fabric8's blocking calls give up then), and
        // do the rest on a thread of its own that we wait for only as long as we may.
        executor.shutdownNow();
        boolean release = held && e != null && releaseWithin.toMillis() > 0;
        Thread t = new Thread(() -> finish(e, f, release), "ovs-anp-lease-release");
        t.setDaemon(true);
        t.start();
        if (held && !release) {
            log.info(
                    "not releasing Lease {}/{}: another replica takes over when it expires (within {})",
                    settings.namespace(),
                    settings.name(),
                    settings.leaseDuration());
        }
        if (!release) {
            return;
        }
        try {
            t.join(releaseWithin.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.warn(
                    "Lease {}/{} not released within {}: the API server did not answer; another replica takes over"
                            + " when it expires (within {})",
                    settings.namespace(),
                    settings.name(),
                    releaseWithin,
                    settings.leaseDuration());
        }
    }

    private void finish(LeaderElector e, CompletableFuture<?> f, boolean release) {
        if (f != null) {
            f.cancel(true);
        }
        if (!release) {
            return;
        }
        try {
            if (e.release()) {
                log.info("released Lease {}/{}", settings.namespace(), settings.name());
            }
        } catch (RuntimeException ex) {
            log.warn("could not release Lease {}/{}: {}", settings.namespace(), settings.name(), ex.getMessage());
        }
    }
}
