package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.ReconnectingSwitch;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.ReconcileResult;
import io.ovsanp.controller.switches.Reconciler;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp sync}: compile one node and converge its switch in one atomic bundle. With {@code
 * --once} it exits when converged; otherwise it stays connected, re-reads the files when they change,
 * audits the switch periodically (repairing out-of-band edits) and reconverges after reconnects.
 */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = "Converge a switch to the compiled flows of one node (only ovs-anp's flows are touched).")
final class SyncCommand extends CliCommand {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCommand.class);

    @Mixin
    ClusterOptions cluster;

    @Mixin
    SwitchOptions sw;

    @Mixin
    PlacementOptions placement;

    @Mixin
    ServiceVipOptions serviceVips;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "Node to compile for.")
    String node;

    @Option(names = "--once", description = "Converge once and exit (0 when converged).")
    boolean once;

    @Option(
            names = "--audit-interval",
            defaultValue = "60s",
            description = "Re-read the switch this often (default 60s).")
    String auditInterval;

    @Option(
            names = "--poll-interval",
            defaultValue = "1s",
            description = "Check the input files this often (default 1s).")
    String pollInterval;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        sw.tls(); // a bad --switch or TLS file is reported before the cluster is read
        NodeCompilation compilation = new NodeCompilation(cluster, node, placement.compileOptions(serviceVips));
        CompileResult desired = compilation.compile();
        report(desired.diagnostics(), false);
        Duration timeout = sw.timeoutDuration();
        if (once) {
            return syncOnce(desired, timeout);
        }
        return runForever(compilation, desired, timeout);
    }

    private int syncOnce(CompileResult desired, Duration timeout) throws BadInput {
        try (OfConnection c = sw.connect()) {
            ReconcileResult r = new Reconciler(c, timeout).audit(desired.flows());
            out().println("node=" + node + " dpid=" + c.datapathId() + " " + r.summary());
            return Main.EXIT_OK;
        } catch (ReconcileException e) {
            err().println("error: " + e.getMessage());
            return Main.EXIT_FOUND;
        }
    }

    private int runForever(NodeCompilation compilation, CompileResult first, Duration timeout) throws BadInput {
        long audit = Durations.parse("--audit-interval", auditInterval).toMillis();
        long poll = Durations.parse("--poll-interval", pollInterval).toMillis();
        LinkedBlockingQueue<OfConnection> connected = new LinkedBlockingQueue<>();
        try (ReconnectingSwitch rs = new ReconnectingSwitch(sw.parsedTarget(), sw.tls())) {
            rs.onConnected(connected::add);
            rs.start();
            CompileResult desired = first;
            long stamp = compilation.inputStamp();
            String lastError = null;
            OfConnection current = null;
            Reconciler reconciler = null;
            long nextAudit = Long.MAX_VALUE;
            while (!Thread.currentThread().isInterrupted()) {
                OfConnection fresh = connected.poll(poll, TimeUnit.MILLISECONDS);
                long now = System.currentTimeMillis();
                boolean mustAudit = false;
                if (fresh != null) {
                    current = fresh;
                    reconciler = new Reconciler(fresh, timeout);
                    mustAudit = true;
                }
                if (current != null && !current.isActive()) {
                    // Said once, with the reason: audits of the dead connection would only repeat
                    // its close as a failed flow dump every few seconds until the reconnect.
                    LOG.warn(
                            "node={} lost the switch at {}: {}; reconnecting",
                            node,
                            current.remote(),
                            current.closeReason().orElse("closed"));
                    current = null;
                    reconciler = null;
                }
                long newStamp = compilation.inputStamp();
                boolean changed = newStamp != stamp;
                if (changed) {
                    try {
                        desired = compilation.compile();
                        report(desired.diagnostics(), false);
                        stamp = newStamp;
                        lastError = null;
                    } catch (SnapshotLoadException | BadInput e) {
                        // A file that vanished between listing and reading (an editor's or a
                        // script's rename) fails once and reads fine on the next poll: retry while
                        // the error changes; the same error twice is the input itself, and waits
                        // for the next change.
                        if (java.util.Objects.equals(e.getMessage(), lastError)) {
                            stamp = newStamp;
                        } else {
                            printError(e);
                            err().println("error: the input cannot be used; the switch keeps its previous flows");
                            err().flush();
                            lastError = e.getMessage();
                        }
                        changed = false;
                    }
                }
                if (reconciler == null || !(mustAudit || changed || now >= nextAudit)) {
                    continue;
                }
                boolean auditing = mustAudit || now >= nextAudit;
                try {
                    ReconcileResult r =
                            auditing ? reconciler.audit(desired.flows()) : reconciler.converge(desired.flows());
                    nextAudit = now + audit;
                    out().println("node=" + node + " " + r.summary());
                    out().flush();
                } catch (ReconcileException e) {
                    long retry = Math.min(audit, 5_000);
                    nextAudit = now + retry;
                    if (current.isActive()) { // else the switch went away meanwhile: said above, once
                        LOG.warn(
                                "node={} {} failed, retrying in {} ms: {}",
                                node,
                                auditing ? "audit" : "update",
                                retry,
                                e.getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.EXIT_OK;
    }
}
