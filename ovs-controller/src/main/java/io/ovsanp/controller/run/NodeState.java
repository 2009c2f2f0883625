package io.ovsanp.controller.run;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileMemo;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.switches.Reconciler;

/**
 * One node's state in the {@link ControllerLoop}: its switch, what was last compiled and installed,
 * and what is owed to it (a compile, an audit, a recovery of the installed numbering). Touched only on
 * the loop thread; a reconcile gets what it needs as a {@link NodeWork.Job}.
 */
final class NodeState {
    final String name;
    /** Used by the node's one reconcile in flight only (a worker), never by two at once. */
    final CompileMemo memo = new CompileMemo();

    OfConnection connection;
    Reconciler reconciler;
    Allocation allocation;
    CompileResult desired;
    long dirtyGeneration = 1; // > cleanGeneration: needs a compile
    long cleanGeneration;
    boolean audit;
    boolean recover;
    boolean inFlight;
    /** A poll of its flow counters is under way: no reconcile starts meanwhile (the cookies must stay). */
    boolean polling;
    /** A verification of its switch is under way (read only: reconciles go on). */
    boolean verifying;

    int failures;
    long retryAtNanos;
    /** Bumped by every DNS answer that taught one of its pods a new address. */
    long learnedVersion;
    /** DNS answers paused until a compile with their version is realised, in arrival order. */
    final java.util.List<HeldAnswer> held = new java.util.ArrayList<>();

    NodeState(String name) {
        this.name = name;
    }

    boolean dirty() {
        return dirtyGeneration > cleanGeneration;
    }

    void markDirty() {
        dirtyGeneration++;
    }

    /** Something is owed to a connected switch. */
    boolean owed() {
        return dirty() || audit || recover;
    }
}
