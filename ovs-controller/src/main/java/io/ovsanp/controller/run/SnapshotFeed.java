package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ClusterUpdate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ClusterSource} of snapshots handed to it ({@link #set}), each with the change a walk of the
 * previous one finds (or the change the caller knows): files read again, tests, benchmarks. Ready once
 * it holds a snapshot. Thread-safe.
 */
public final class SnapshotFeed implements ClusterSource {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private ClusterSnapshot current;
    private ClusterChange pending = ClusterChange.EVERYTHING;

    /** Publishes {@code next}, comparing it with the current snapshot to find what changed. */
    public void set(ClusterSnapshot next) {
        synchronized (this) {
            ClusterChange change = current == null ? ClusterChange.EVERYTHING : ClusterChange.between(current, next);
            publish(next, change);
        }
        listeners.forEach(Runnable::run);
    }

    /** Publishes {@code next} with the change from the current snapshot that the caller knows. */
    public void set(ClusterSnapshot next, ClusterChange change) {
        synchronized (this) {
            publish(next, current == null ? ClusterChange.EVERYTHING : change);
        }
        listeners.forEach(Runnable::run);
    }

    private void publish(ClusterSnapshot next, ClusterChange change) {
        current = Objects.requireNonNull(next);
        pending = pending.then(change);
    }

    /** The last snapshot set; null before the first. */
    public synchronized ClusterSnapshot current() {
        return current;
    }

    @Override
    public synchronized ClusterUpdate update() {
        if (current == null) {
            throw new IllegalStateException("no snapshot yet: update() before ready()");
        }
        ClusterUpdate u = new ClusterUpdate(current, pending);
        pending = ClusterChange.NONE;
        return u;
    }

    @Override
    public synchronized boolean ready() {
        return current != null;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener));
    }
}
