package io.ovsanp.controller.run;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.CompileMemo;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.ReconcileResult;
import io.ovsanp.controller.switches.Reconciler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One reconcile of one node, on a worker thread: recover the installed numbering if asked (a new
 * connection: {@link SwitchNumbering}), compile if the node is dirty, then converge the switch (or
 * audit it: dump, diff, repair). Reads only its {@link Job}; reports through the listeners and returns
 * an {@link Outcome} for the loop thread.
 */
final class NodeWork {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);

    /** What a worker needs, copied from the node's state on the loop thread. */
    record Job(
            NodeState node,
            OfConnection connection,
            Reconciler reconciler,
            Compilation compilation,
            Allocation allocation,
            CompileResult desired,
            long generation,
            boolean compile,
            boolean recover,
            boolean audit,
            ResolverStates learned,
            long learnedVersion) {}

    /** What happened; {@code desired} and {@code allocation} are the node's new state when {@code ok}. */
    record Outcome(Job job, Allocation allocation, CompileResult desired, String failure, boolean ok) {}

    private NodeWork() {}

    static Outcome run(Job j, LoopOptions options, Listeners listeners) {
        String node = j.node().name;
        MDC.put("node", node);
        MDC.put("dpid", j.connection().datapathId().toString());
        Allocation allocation = j.allocation();
        try {
            if (j.recover()) {
                CompileResult unnumbered = j.compilation()
                        .compile(node, Allocation.EMPTY, options.compile(), new CompileMemo(), j.learned());
                try {
                    allocation = SwitchNumbering.recover(j.reconciler(), unnumbered);
                } catch (ReconcileException e) {
                    // the switch could not be read: still say which rules apply here (status, dirty marks)
                    listeners.notify(l -> l.compiled(node, unnumbered, Duration.ZERO));
                    throw e;
                }
            }
            CompileResult desired = j.desired();
            if (j.compile()) {
                long t0 = System.nanoTime();
                desired = j.compilation().compile(node, allocation, options.compile(), j.node().memo, j.learned());
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                CompileResult compiled = desired;
                listeners.notify(l -> l.compiled(node, compiled, took));
            }
            long t1 = System.nanoTime();
            // A recovery has just dumped the switch: converging on that view is the audit.
            ReconcileResult r = j.audit() && !j.recover()
                    ? j.reconciler().audit(desired.flows())
                    : j.reconciler().converge(desired.flows());
            Duration took = Duration.ofNanos(System.nanoTime() - t1);
            if (r.flowMods() > 0 || j.compile()) {
                LOG.info("node={} dpid={} {}", node, j.connection().datapathId(), r.summary());
            }
            listeners.notify(l -> l.converged(node, r, took));
            return new Outcome(j, desired.allocation(), desired, null, true);
        } catch (ReconcileException e) {
            String why = e.getMessage();
            listeners.notify(l -> l.failed(node, why));
            return new Outcome(j, allocation, null, why, false);
        } catch (RuntimeException e) {
            String why = "compile failed: " + e;
            LOG.error("node={} {}", node, why, e);
            listeners.notify(l -> l.failed(node, why));
            return new Outcome(j, allocation, null, why, false);
        } finally {
            MDC.remove("node");
            MDC.remove("dpid");
        }
    }
}
