package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.openflow.wire.FlowStatsRequest;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.Reconciler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code stats} and {@code flows} read from a switch: ovs-anp's flows with their counters (a
 * cookie-masked flow-stats dump), and, given the cluster, the node's compile numbered as those flows
 * are ({@link NodeCompilation#against}), whose {@link RuleCookies} name the rule of every rule cookie.
 */
final class SwitchDump {
    private SwitchDump() {}

    /** ovs-anp's flows on the switch (cookie owner tag), with their counters. */
    static List<DumpedFlow> ours(OfConnection c, Duration timeout) throws BadInput {
        try {
            return c.dumpFlows(FlowStatsRequest.ours(c.nextXid())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BadInput("flow dump failed on " + c.remote() + ": " + cause.getMessage());
        } catch (TimeoutException e) {
            throw new BadInput("flow dump timed out after " + timeout + " on " + c.remote());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInput("interrupted");
        }
    }

    /** The rules of {@code compilation}'s node, numbered as the switch behind {@code c} holds them. */
    static RuleCookies rules(NodeCompilation compilation, OfConnection c, Duration timeout) throws BadInput {
        try {
            CompileResult numbered = compilation.against(new Reconciler(c, timeout));
            return RuleCookies.of(numbered);
        } catch (ReconcileException e) {
            throw new BadInput(e.getMessage());
        }
    }
}
