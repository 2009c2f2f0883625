package io.ovsanp.controller.switches;

import io.ovsanp.compiler.flow.FlowDiff;

/** One convergence: what was sent (zero flow-mods when the switch was already right) and how long it took. */
public record ReconcileResult(
        FlowDiff diff, int opaqueDeleted, long nanos, long dumpNanos, long diffNanos, long applyNanos) {
    public int flowMods() {
        return diff.size() + opaqueDeleted;
    }

    /** {@code +12 ~0 -3 flows in 4 ms}. */
    public String summary() {
        String opaque = opaqueDeleted == 0 ? "" : " (-" + opaqueDeleted + " unreadable)";
        return diff.summary() + opaque + " flows in " + (nanos / 1_000_000) + " ms (dump " + (dumpNanos / 1_000_000)
                + " ms, diff " + (diffNanos / 1_000_000) + " ms, bundle " + (applyNanos / 1_000_000) + " ms)";
    }
}
