package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import java.util.Objects;

/**
 * The reuse between compiles of successive snapshots, owned by whoever compiles them (the
 * controller's loop, a CLI command, a test): the previous snapshot's index ({@link SnapshotIndex}:
 * resolved destinations, rule shapes, pods per node, node names), carried into the next one's as far
 * as the {@link ClusterChange} between them allows, and the validation results per policy object
 * ({@link PolicyValidator.Memo}). Nothing here is global: two sessions in one process (two loops, or
 * a test beside a benchmark) never see each other's state, and the result of a compile never depends
 * on the session's history, only its cost does.
 *
 * <p>{@link #advance} moves the session to a new snapshot and returns that snapshot's {@link
 * Compilation}, which compiles any of its nodes, from any thread, also after the session has moved
 * on. Advancing is not thread-safe: one owner calls it.
 */
public final class CompileSession {
    private final PolicyValidator.Memo validation = new PolicyValidator.Memo();
    private Compilation current;

    /**
     * The compilation of {@code next}, given what changed since the snapshot of the last {@link
     * #advance} ({@link ClusterChange#EVERYTHING} when unknown; the first call needs nothing).
     *
     * @throws RuntimeException when validation fails (a bug); the session then stays where it was
     */
    public Compilation advance(ClusterSnapshot next, ClusterChange change) {
        Objects.requireNonNull(next);
        Objects.requireNonNull(change);
        EffectivePolicies policies = PolicyValidator.validate(next, validation);
        SnapshotIndex index =
                current == null ? SnapshotIndex.of(next) : current.index().next(next, change);
        current = new Compilation(index, policies);
        return current;
    }

    /** As {@link #advance(ClusterSnapshot, ClusterChange)}, finding the change by comparing the snapshots. */
    public Compilation advance(ClusterSnapshot next) {
        return advance(
                next, current == null ? ClusterChange.EVERYTHING : ClusterChange.between(current.snapshot(), next));
    }

    /** The compilation of the last {@link #advance}; null before the first. */
    public Compilation current() {
        return current;
    }
}
