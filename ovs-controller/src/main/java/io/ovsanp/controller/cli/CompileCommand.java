package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ovs-anp compile}: the flows one node's br-int needs, loadable by ovs-ofctl add-flows. */
@Command(
        name = "compile",
        mixinStandardHelpOptions = true,
        description = "Compile a cluster snapshot into the egress pipeline of one node (or every node).")
final class CompileCommand extends CliCommand {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    PlacementOptions placement;

    @Mixin
    ServiceVipOptions serviceVips;

    @Option(names = "--node", paramLabel = "NAME", description = "Node to compile for (default: every node).")
    String node;

    @Option(names = "--format", defaultValue = "ofctl", description = "ofctl (default) or json.")
    String format;

    @Option(names = "--stats", description = "Append flows per table and per rule, and the cross product avoided.")
    boolean stats;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        if (!format.equals("ofctl") && !format.equals("json")) {
            throw new BadInput("--format must be ofctl or json, not " + format);
        }
        CompileOptions options = placement.compileOptions(serviceVips);
        ClusterSnapshot snapshot = cluster.load();
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        List<String> nodes = snapshot.nodeNames();
        if (node != null && !nodes.contains(node)) {
            throw new BadInput(
                    "node \"" + node + "\" is not in the snapshot; known nodes: " + String.join(", ", nodes));
        }
        if (nodes.isEmpty()) {
            throw new BadInput("the snapshot has no nodes (no Node objects and no pods with spec.nodeName)");
        }
        List<String> targets = node != null ? List.of(node) : nodes;
        List<CompileResult> results = new ArrayList<>();
        Set<Diagnostic> diags = new LinkedHashSet<>(policies.diagnostics());
        for (String n : targets) {
            CompileResult r = Compiler.compile(snapshot, policies, n, Allocation.EMPTY, options);
            results.add(r);
            diags.addAll(r.diagnostics());
        }
        report(List.copyOf(diags), false);
        if (format.equals("json")) {
            out().print(JsonOutput.render(results, options.pipeline(), stats));
            return Main.EXIT_OK;
        }
        for (CompileResult r : results) {
            if (targets.size() > 1) {
                out().println("# node: " + r.node());
            }
            out().print(OfctlRenderer.renderAll(r.flows(), options.pipeline()));
            if (stats) {
                out().print(StatsText.render(r));
            }
        }
        return Main.EXIT_OK;
    }
}
