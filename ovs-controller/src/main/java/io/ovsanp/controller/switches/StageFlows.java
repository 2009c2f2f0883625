package io.ovsanp.controller.switches;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.pipeline.Placement;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.openflow.wire.FlowStatsRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every flow of a switch, whoever wrote it, as {@code ovs-anp verify} reads them (docs/decisions.md,
 * "verify: atomic predicates"): an out-of-band flow in the stage's tables changes verdicts as much as
 * one of ovs-anp's. Each is read by what it forwards (flags and timeouts change no verdict); a flow in
 * the stage's tables whose match or actions cannot be read makes the read fail, since what it does is
 * unknown.
 */
public final class StageFlows {
    private StageFlows() {}

    /** Why the flows could not be read. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /** Dumps every table (cookie mask 0) of the switch behind {@code c}. */
    public static FlowSet read(OfConnection c, Placement placement, Duration timeout)
            throws Unreadable, InterruptedException {
        List<DumpedFlow> dumped;
        try {
            dumped = c.dumpFlows(new FlowStatsRequest(c.nextXid(), Optional.empty(), new Cookie(0), 0, Match.ANY))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Unreadable("flow dump failed on " + c.remote() + ": " + cause.getMessage());
        } catch (TimeoutException e) {
            throw new Unreadable("flow dump timed out after " + timeout + " on " + c.remote());
        }
        List<Flow> flows = new ArrayList<>(dumped.size());
        List<String> unreadable = new ArrayList<>();
        for (DumpedFlow d : dumped) {
            boolean inStage = d.tableId() >= placement.firstTable() && d.tableId() <= placement.lastTable();
            if (d.forwarding().isPresent()) {
                flows.add(d.forwarding().get());
            } else if (inStage) {
                unreadable.add("table=" + d.tableId() + ",priority=" + d.priority() + ",cookie=0x"
                        + Long.toHexString(d.cookie().value()) + " (" + d.opaqueReason() + ")");
            }
        }
        if (!unreadable.isEmpty()) {
            throw new Unreadable(unreadable.size() + " flow(s) in the stage's tables cannot be read, so what they"
                    + " do is unknown: " + String.join("; ", unreadable));
        }
        return FlowSet.of(flows);
    }
}
