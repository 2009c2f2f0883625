package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.ofctl.OfctlParseException;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.verify.Counterexample;
import io.ovsanp.compiler.verify.Verifier;
import io.ovsanp.compiler.verify.VerifyResult;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import io.ovsanp.controller.switches.StageFlows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp verify}: whether a node's flows give the evaluator's verdict to every new
 * connection, checked exhaustively cell by cell ({@link Verifier}; docs/decisions.md, "verify:
 * atomic predicates"). Exit 0 when they do, 1 with counterexamples when they do not.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Check exhaustively that a node's flows give every new connection the evaluator's verdict;"
                + " exit 1 with counterexamples when they do not.")
final class VerifyCommand extends CliCommand {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    PlacementOptions placement;

    @Mixin
    ServiceVipOptions serviceVips;

    @Mixin
    OutputOptions output;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "Node whose flows these are.")
    String node;

    @Mixin
    OptionalSwitchOptions sw;

    @Option(
            names = "--flows",
            paramLabel = "FILE",
            description = "Instead of --switch: the node's flows in ovs-ofctl text (ovs-anp compile output or"
                    + " ovs-ofctl dump-flows).")
    Path flowsFile;

    @Option(
            names = "--max-counterexamples",
            defaultValue = "10",
            paramLabel = "N",
            description = "Packets to show when the flows differ (default ${DEFAULT-VALUE}).")
    int maxCounterexamples;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        boolean json = output.json();
        if (maxCounterexamples < 0) {
            throw new BadInput("--max-counterexamples must not be negative: " + maxCounterexamples);
        }
        if ((flowsFile == null) == !sw.given()) {
            throw new BadInput("give exactly one of --switch TARGET (the installed flows) and --flows FILE");
        }
        if (sw.given()) {
            sw.tls(); // a bad --switch or TLS file is reported before anything is read
        }
        CompileOptions options = placement.compileOptions(serviceVips);
        // The cluster loads while the flows are read: on a large node each takes seconds.
        FutureTask<ClusterSnapshot> loading = new FutureTask<>(cluster::load);
        Thread loader = new Thread(loading, "ovs-anp-verify-load");
        loader.setDaemon(true);
        loader.start();
        Source source = sw.given() ? fromSwitch(options) : new Source(readFlows(), flowsFile.toString());
        ClusterSnapshot snapshot = loaded(loading);
        if (!snapshot.nodeNames().contains(node)) {
            throw new BadInput("node \"" + node + "\" is not in the snapshot; known nodes: "
                    + String.join(", ", snapshot.nodeNames()));
        }
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        report(policies.diagnostics(), false);
        long started = System.nanoTime();
        VerifyResult result;
        try {
            result = new Verifier(snapshot, policies, options)
                    .verify(
                            node,
                            source.flows(),
                            maxCounterexamples,
                            Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new BadInput("cannot verify " + source.name() + ": " + e.getMessage());
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        String summary = "node=" + node + " " + source.name() + ": "
                + source.flows().size() + " flows, "
                + result.cellsChecked() + " cells checked (" + result.packetsRun() + " packets run) in " + ms + " ms: "
                + (result.equal() ? "equal to the evaluator" : result.cellsDiffering() + " cells differ");
        if (json) {
            out().print(JsonOutput.write(document(result, source, ms)));
        } else {
            for (Counterexample c : result.counterexamples()) {
                out().println(c.describe());
            }
            out().println(summary);
        }
        return result.equal() ? Main.EXIT_OK : Main.EXIT_FOUND;
    }

    /** The flows to verify and where they came from. */
    private record Source(FlowSet flows, String name) {}

    private static ClusterSnapshot loaded(FutureTask<ClusterSnapshot> loading) throws SnapshotLoadException, BadInput {
        try {
            return loading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SnapshotLoadException sle) throw sle;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInput("interrupted");
        }
    }

    /** Every flow of the switch ({@link StageFlows}): out-of-band flows count as much as ours. */
    private Source fromSwitch(CompileOptions options) throws BadInput {
        try (OfConnection c = sw.connect()) {
            FlowSet flows = StageFlows.read(c, options.pipeline().placement(), sw.timeoutDuration());
            return new Source(flows, sw.target() + " (dpid " + c.datapathId() + ")");
        } catch (StageFlows.Unreadable e) {
            throw new BadInput("cannot verify " + sw.target() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInput("interrupted");
        }
    }

    private FlowSet readFlows() throws BadInput {
        String text;
        try {
            text = Files.readString(flowsFile);
        } catch (IOException e) {
            throw new BadInput("cannot read " + flowsFile + ": " + e.getMessage());
        }
        try {
            return FlowSet.of(OfctlParser.parseAll(text));
        } catch (OfctlParseException e) {
            throw new BadInput(flowsFile + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // two flows with one key: more than one node's flows, or a broken file
            throw new BadInput(flowsFile + ": " + e.getMessage() + " (give the flows of one node)");
        }
    }

    private Map<String, Object> document(VerifyResult result, Source source, long ms) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("node", node);
        doc.put("source", source.name());
        doc.put("equal", result.equal());
        doc.put("flows", source.flows().size());
        doc.put("cellsChecked", result.cellsChecked());
        doc.put("cellsDiffering", result.cellsDiffering());
        doc.put("packetsRun", result.packetsRun());
        doc.put("elapsedMs", ms);
        List<Object> examples = new ArrayList<>();
        for (Counterexample c : result.counterexamples()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> packet = new LinkedHashMap<>();
            packet.put("src", c.packet().src().toString());
            packet.put("dst", c.packet().dst().toString());
            packet.put("protocol", c.packet().proto().toString());
            if (c.packet().proto().hasPorts()) {
                packet.put("port", c.packet().dstPort());
            }
            m.put("packet", packet);
            m.put("switch", c.switchAllows() ? "ALLOW" : "DENY");
            m.put("switchPath", c.switchPath().lines().toList());
            m.put("evaluator", c.evaluatorAllows() ? "ALLOW" : "DENY");
            m.put("evaluatorReason", c.evaluatorReason().lines().toList());
            examples.add(m);
        }
        doc.put("counterexamples", examples);
        return doc;
    }
}
