package io.ovsanp.compiler.cluster;

import java.util.Objects;

/** A new snapshot and what changed since the one before it (for the consumer that takes updates). */
public record ClusterUpdate(ClusterSnapshot snapshot, ClusterChange change) {
    public ClusterUpdate {
        Objects.requireNonNull(snapshot);
        Objects.requireNonNull(change);
    }
}
