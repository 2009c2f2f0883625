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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp diff}: desired vs installed (ovs-anp's flows only), changing nothing; exactly what
 * {@code sync} would send, the compile numbered as the switch's flows are. With {@code -o json} one
 * document: node, datapath id, whether they are the same, and the flows to delete, modify and add.
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

    @Mixin
    OutputOptions output;

    @Option(
            names = "--node",
            required = true,
            paramLabel = "NAME",
            description = "Node whose flows the switch should hold.")
    String node;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        boolean json = output.json();
        sw.tls(); // a bad --switch or TLS file is reported before the cluster is read
        NodeCompilation compilation = NodeCompilation.load(cluster, node, placement.compileOptions(serviceVips));
        try (OfConnection c = sw.connect()) {
            Reconciler r = new Reconciler(c, sw.timeoutDuration());
            // numbered as the switch is, as run and sync number it: only real differences show
            CompileResult desired = compilation.against(r);
            FlowSet installed = FlowSet.of(r.installed());
            // What sync would send: a change also moves the megaflow guard.
            FlowDiff d = MegaflowGuard.plan(installed, desired.flows()).diff();
            boolean same = d.isEmpty() && r.unreadable().isEmpty();
            String summary = d.summary() + (same ? ": switch holds the compiled flows" : ": differs");
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("node", node);
                doc.put("datapathId", c.datapathId().toString());
                doc.put("same", same);
                doc.put("summary", summary);
                List<Object> unreadable = new ArrayList<>();
                for (DumpedFlow u : r.unreadable()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("reason", u.opaqueReason());
                    m.put("table", u.tableId());
                    m.put("priority", u.priority());
                    m.put("cookie", String.valueOf(u.cookie()));
                    unreadable.add(m);
                }
                doc.put("unreadable", unreadable);
                doc.put(
                        "deletes",
                        d.deletes().stream().map(OfctlRenderer::render).toList());
                doc.put(
                        "modifies",
                        d.modifies().stream().map(OfctlRenderer::render).toList());
                doc.put("adds", d.adds().stream().map(OfctlRenderer::render).toList());
                out().print(JsonOutput.write(doc));
            } else {
                for (DumpedFlow u : r.unreadable()) {
                    out().println("- (unreadable: " + u.opaqueReason() + ") table=" + u.tableId() + ",priority="
                            + u.priority() + ",cookie=" + u.cookie());
                }
                for (Flow f : d.deletes()) out().println("- " + OfctlRenderer.render(f));
                for (Flow f : d.modifies()) out().println("~ " + OfctlRenderer.render(f));
                for (Flow f : d.adds()) out().println("+ " + OfctlRenderer.render(f));
            }
            err().println("node=" + node + " dpid=" + c.datapathId() + " " + summary);
            return same ? Main.EXIT_OK : Main.EXIT_FOUND;
        } catch (ReconcileException e) {
            throw new BadInput(e.getMessage());
        }
    }
}
