package io.ovsanp.controller.run;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.AllocationRecovery;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.Reconciler;

/**
 * The numbering (OpenFlow priorities, conjunction and rule ids) a switch's flows carry, recovered so
 * that a compile reuses it ({@link AllocationRecovery}): a restarted controller, a new leader, {@code
 * ovs-anp diff} and {@code sync --once} all number a node as the switch already does and send nothing
 * for rules that did not change. One place, used by the loop on every new connection and by the
 * one-shot commands.
 */
public final class SwitchNumbering {
    private SwitchNumbering() {}

    /**
     * The allocation that makes the node's compile match {@code reconciler}'s installed flows where the
     * rules are the same; {@code unnumbered} is the node's compile from {@link Allocation#EMPTY}.
     *
     * @throws ReconcileException when the switch cannot be dumped
     */
    public static Allocation recover(Reconciler reconciler, CompileResult unnumbered) throws ReconcileException {
        return AllocationRecovery.recover(reconciler.installed(), unnumbered);
    }
}
