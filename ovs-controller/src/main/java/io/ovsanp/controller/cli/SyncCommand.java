package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.controller.dns.DnsLearning;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.PacketInSink;
import io.ovsanp.controller.run.AgentSwitchSource;
import io.ovsanp.controller.run.Controller;
import io.ovsanp.controller.run.LoopOptions;
import io.ovsanp.controller.run.PacketInRelay;
import io.ovsanp.controller.run.RealisationListener;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.ReconcileResult;
import io.ovsanp.controller.switches.Reconciler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp sync}: compile one node and converge its switch in one atomic bundle. With {@code
 * --once} it exits when converged; otherwise it runs the controller's own loop ({@link Controller})
 * on the files, read again when they change ({@link FileClusterSource}), with the node's one switch:
 * audits every {@code --audit-interval}, reconverges after reconnects, recovers the switch's
 * numbering on every connection, exactly as {@code ovs-anp run} does.
 */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = "Converge a switch to the compiled flows of one node (only ovs-anp's flows are touched).")
final class SyncCommand extends CliCommand {
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

    @Mixin
    DnsOptions dns;

    @Option(
            names = "--once",
            description = "Converge once and exit (0 when converged). Without a running controller no DNS answer is"
                    + " held, so domainNames rules learn no address and match nothing.")
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
        CompileOptions options = placement.compileOptions(serviceVips);
        // nobody would resume a held DNS answer: with --once domainNames rules learn nothing
        if (once) options = options.withInterceptDns(false);
        NodeCompilation compilation = NodeCompilation.load(cluster, node, options);
        report(compilation.diagnostics(), false);
        DnsLearning.Settings learning = dns.settings();
        if (once) {
            return syncOnce(compilation);
        }
        return runForever(options, learning);
    }

    private int syncOnce(NodeCompilation compilation) throws BadInput {
        try (OfConnection c = sw.connect()) {
            Reconciler r = new Reconciler(c, sw.timeoutDuration());
            CompileResult desired = compilation.against(r); // dumps the switch
            ReconcileResult result = r.converge(desired.flows());
            out().println("node=" + node + " dpid=" + c.datapathId() + " " + result.summary());
            return Main.EXIT_OK;
        } catch (ReconcileException e) {
            err().println("error: " + e.getMessage());
            return Main.EXIT_FOUND;
        }
    }

    private int runForever(CompileOptions compile, DnsLearning.Settings learning)
            throws BadInput, SnapshotLoadException {
        Duration audit = Durations.parse("--audit-interval", auditInterval);
        Duration poll = Durations.parse("--poll-interval", pollInterval);
        LoopOptions options = LoopOptions.DEFAULT
                .withCompile(compile)
                .withAuditInterval(audit)
                .withSwitchTimeout(sw.timeoutDuration())
                .withWorkers(1)
                .withDns(learning);
        PacketInRelay packetIns = new PacketInRelay(PacketInSink.NONE);
        AgentSwitchSource source;
        try {
            source = new AgentSwitchSource(
                    node,
                    sw.parsedTarget(),
                    sw.tls(),
                    ConnectionConfig.DEFAULT.withPacketIns(packetIns),
                    System::nanoTime);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--switch " + sw.target + ": " + e.getMessage());
        }
        try (FileClusterSource files = FileClusterSource.start(cluster, poll, err());
                Controller controller = Controller.start(files, source, options, List.of(new Summaries()))) {
            packetIns.attach(controller.loop().dnsAnswers());
            new CountDownLatch(1).await(); // until interrupted (SIGTERM exits the JVM)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.EXIT_OK;
    }

    /** One line per reconcile on stdout, the diagnostics of every new read on stderr. */
    private final class Summaries implements RealisationListener {
        @Override
        public void validated(ClusterSnapshot snapshot, EffectivePolicies policies, ClusterChange change) {
            synchronized (SyncCommand.this) {
                report(policies.diagnostics(), false);
                err().flush();
            }
        }

        @Override
        public void converged(String n, ReconcileResult result, Duration took) {
            synchronized (SyncCommand.this) {
                out().println("node=" + n + " " + result.summary());
                out().flush();
            }
        }
    }
}
