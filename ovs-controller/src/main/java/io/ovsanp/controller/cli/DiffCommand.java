package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.MegaflowGuard;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.Reconciler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp diff}: desired vs installed (ovs-anp's flows only), changing nothing; exactly what
 * {@code sync} would send, the compile numbered as the switch's flows are.
 */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = "Show how the switch's ovs-anp flows differ from the compiled ones; exit 1 when they differ.")
final class DiffCommand extends CliCommand {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    SwitchOptions sw;

    @Mixin
    PlacementOptions placement;

    @Mixin
    ServiceVipOptions serviceVips;

    @Option(
            names = "--node",
            required = true,
            paramLabel = "NAME",
            description = "Node whose flows the switch should hold.")
    String node;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        sw.tls(); // a bad --switch or TLS file is reported before the cluster is read
        NodeCompilation compilation = NodeCompilation.load(cluster, node, placement.compileOptions(serviceVips));
        try (OfConnection c = sw.connect()) {
            Reconciler r = new Reconciler(c, sw.timeoutDuration());
            // numbered as the switch is, as run and sync number it: only real differences show
            CompileResult desired = compilation.against(r);
            FlowSet installed = FlowSet.of(r.installed());
            // What sync would send: a change also moves the megaflow guard.
            FlowDiff d = MegaflowGuard.plan(installed, desired.flows()).diff();
            for (DumpedFlow u : r.unreadable()) {
                out().println("- (unreadable: " + u.opaqueReason() + ") table=" + u.tableId() + ",priority="
                        + u.priority() + ",cookie=" + u.cookie());
            }
            for (Flow f : d.deletes()) out().println("- " + OfctlRenderer.render(f));
            for (Flow f : d.modifies()) out().println("~ " + OfctlRenderer.render(f));
            for (Flow f : d.adds()) out().println("+ " + OfctlRenderer.render(f));
            boolean same = d.isEmpty() && r.unreadable().isEmpty();
            err().println("node=" + node + " dpid=" + c.datapathId() + " " + d.summary()
                    + (same ? ": switch holds the compiled flows" : ": differs"));
            return same ? Main.EXIT_OK : Main.EXIT_FOUND;
        } catch (ReconcileException e) {
            throw new BadInput(e.getMessage());
        }
    }
}
