package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.snapshot.SnapshotLoadException;

/** Loads the snapshot and compiles one node, keeping the allocation for the next compile. */
final class NodeCompilation {
    private final ClusterOptions cluster;
    private final String node;
    private final CompileOptions options;
    private Allocation allocation = Allocation.EMPTY;

    NodeCompilation(ClusterOptions cluster, String node, CompileOptions options) {
        this.cluster = cluster;
        this.node = node;
        this.options = options;
    }

    CompileResult compile() throws SnapshotLoadException, BadInput {
        ClusterSnapshot snapshot = cluster.load();
        if (!snapshot.nodeNames().contains(node)) {
            throw new BadInput("node \"" + node + "\" is not in the snapshot; known nodes: "
                    + String.join(", ", snapshot.nodeNames()));
        }
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        CompileResult r = Compiler.compile(snapshot, policies, node, allocation, options);
        allocation = r.allocation();
        // Validation problems belong to the output too: sync must say why a rule is realised fail-closed.
        java.util.List<io.ovsanp.compiler.diag.Diagnostic> all = new java.util.ArrayList<>(policies.diagnostics());
        all.addAll(r.diagnostics());
        return new CompileResult(r.node(), r.flows(), all, r.allocation(), r.stats());
    }

    /** Newest modification time of the input files, to notice edits. */
    long inputStamp() {
        long newest = 0;
        for (java.nio.file.Path p : cluster.paths) {
            try (var files = java.nio.file.Files.walk(p)) {
                for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                    newest = Math.max(
                            newest, java.nio.file.Files.getLastModifiedTime(f).toMillis());
                }
            } catch (java.io.IOException e) {
                newest = Long.MAX_VALUE; // vanished or unreadable: reload and let the loader report it
            }
        }
        return newest;
    }
}
