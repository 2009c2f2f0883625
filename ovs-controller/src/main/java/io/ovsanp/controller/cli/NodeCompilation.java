package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.controller.run.SwitchNumbering;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.Reconciler;
import java.util.ArrayList;
import java.util.List;

/**
 * One node's compile for the one-shot switch commands ({@code diff}, {@code sync --once}): the
 * snapshot loaded and checked before any connection, then, against the switch, numbered as the
 * switch's flows are (priorities, conjunction and rule ids: {@link SwitchNumbering}, the loop's own
 * recovery), so that a switch {@code ovs-anp run} converged through any history of edits shows no
 * difference and gets no flow-mod.
 */
final class NodeCompilation {
    private final String node;
    private final CompileOptions options;
    private final Compilation compilation;
    private final CompileResult unnumbered;

    private NodeCompilation(String node, CompileOptions options, Compilation compilation, CompileResult unnumbered) {
        this.node = node;
        this.options = options;
        this.compilation = compilation;
        this.unnumbered = unnumbered;
    }

    /** Loads and compiles {@code node} (numbered from scratch: for the diagnostics, before connecting). */
    static NodeCompilation load(ClusterOptions cluster, String node, CompileOptions options)
            throws SnapshotLoadException, BadInput {
        return of(cluster.load(), node, options);
    }

    /** Compiles {@code node} of an already loaded snapshot (numbered from scratch, as {@link #load}). */
    static NodeCompilation of(ClusterSnapshot snapshot, String node, CompileOptions options) throws BadInput {
        Compilation c = Compilation.of(snapshot);
        if (!c.nodeNames().contains(node)) {
            throw new BadInput(
                    "node \"" + node + "\" is not in the snapshot; known nodes: " + String.join(", ", c.nodeNames()));
        }
        return new NodeCompilation(node, options, c, c.compile(node, Allocation.EMPTY, options));
    }

    /** The snapshot's policies as validated for this compile. */
    io.ovsanp.compiler.policy.EffectivePolicies policies() {
        return compilation.policies();
    }

    /** Validation problems and the compile's own: sync must say why a rule is realised fail-closed. */
    List<Diagnostic> diagnostics() {
        List<Diagnostic> all = new ArrayList<>(compilation.policies().diagnostics());
        all.addAll(unnumbered.diagnostics());
        return all;
    }

    /** The node's flows numbered as {@code reconciler}'s switch holds them (dumps it if not yet done). */
    CompileResult against(Reconciler reconciler) throws ReconcileException {
        Allocation allocation = SwitchNumbering.recover(reconciler, unnumbered);
        return compilation.compile(node, allocation, options);
    }
}
