package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterUpdate;

/**
 * Where the reconcile loop's cluster comes from: the informers ({@code ClusterWatcher}, {@code run}),
 * manifest files read again when they change ({@link FileClusterSource}, {@code sync}), or a test's
 * own snapshots ({@link SnapshotFeed}).
 */
public interface ClusterSource {
    /**
     * The cluster now and what changed since the snapshot the previous call returned ({@link
     * ClusterChange#EVERYTHING} the first time). The loop is the one caller.
     */
    ClusterUpdate update();

    /** Whether the cluster is complete: nothing is compiled before (an unsynced view lacks policies). */
    boolean ready();

    /** {@code listener} runs, on any thread, after every change. */
    void onChange(Runnable listener);
}
