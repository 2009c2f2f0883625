package io.ovsanp.controller.central;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A Lease lock that tells {@link LeaderElection} when each successful write of a record naming us
 * started, on the monotonic clock ({@link System#nanoTime()}), and what that record was (its
 * acquireTime gives the switches' role generation).
 */
final class TimedLock implements Lock {
    private final Lock delegate;
    private final LongConsumer renewedAt;
    private final Consumer<LeaderElectionRecord> written;

    TimedLock(Lock delegate, LongConsumer renewedAt, Consumer<LeaderElectionRecord> written) {
        this.delegate = delegate;
        this.renewedAt = renewedAt;
        this.written = written;
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient c) {
        return delegate.get(c);
    }

    @Override
    public void create(KubernetesClient c, LeaderElectionRecord r) {
        delegate.create(c, r);
        renewed(r);
    }

    @Override
    public void update(KubernetesClient c, LeaderElectionRecord r) {
        delegate.update(c, r);
        renewed(r);
    }

    /**
     * The other replicas count the lease from the record's renewTime (set before the API calls), so
     * our bound starts there too, moved onto the monotonic clock: however slow the calls were, we stop
     * leaseDuration − renewDeadline before anyone may take over.
     */
    private void renewed(LeaderElectionRecord r) {
        if (delegate.identity().equals(r.getHolderIdentity())) {
            long age = Math.max(
                    0,
                    Duration.between(r.getRenewTime(), ZonedDateTime.now(ZoneOffset.UTC))
                            .toNanos());
            written.accept(r);
            renewedAt.accept(System.nanoTime() - age);
        }
    }

    @Override
    public String identity() {
        return delegate.identity();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }
}
