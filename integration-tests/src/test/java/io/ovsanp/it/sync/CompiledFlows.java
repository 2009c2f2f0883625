package io.ovsanp.it.sync;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import java.nio.file.Path;
import java.util.List;

/** How many flows the compiler gives a node of a cluster directory: what a converged switch must hold. */
final class CompiledFlows {
    private CompiledFlows() {}

    static int count(Path cluster, String node) {
        try {
            return Compiler.compile(SnapshotLoader.load(List.of(cluster)), node, Allocation.EMPTY)
                    .flows()
                    .size();
        } catch (Exception e) {
            throw new AssertionError("cannot compile " + cluster + " for " + node, e);
        }
    }
}
