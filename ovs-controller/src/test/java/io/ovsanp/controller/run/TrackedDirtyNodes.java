package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileSession;
import io.ovsanp.compiler.compile.ReadSet;

/**
 * {@link DirtyNodes} as the loop drives it, for tests: each snapshot goes through a {@link
 * CompileSession} with the change a walk finds, and a node's read set comes from its real compile.
 */
final class TrackedDirtyNodes {
    private final DirtyNodes dirty = new DirtyNodes();
    private final CompileSession session = new CompileSession();
    private Compilation current;

    /** The nodes {@code next} makes dirty (all for the first snapshot). */
    DirtyNodes.Changes next(ClusterSnapshot next) {
        ClusterChange change =
                current == null ? ClusterChange.EVERYTHING : ClusterChange.between(current.snapshot(), next);
        return next(next, change);
    }

    /** As {@link #next(ClusterSnapshot)}, with the change the caller knows (as the informers report it). */
    DirtyNodes.Changes next(ClusterSnapshot next, ClusterChange change) {
        Compilation c = session.advance(next, change);
        DirtyNodes.Changes out = dirty.next(current, c, change);
        current = c;
        return out;
    }

    /** Compiles {@code node} from the current snapshot and records its read set. */
    ReadSet compiled(String node) {
        ReadSet r =
                current.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT).reads();
        dirty.compiled(node, r);
        return r;
    }

    void forget(String node) {
        dirty.forget(node);
    }

    Compilation current() {
        return current;
    }
}
