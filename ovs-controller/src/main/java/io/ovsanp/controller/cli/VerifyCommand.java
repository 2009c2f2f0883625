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
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Option(
            names = "--flows",
            required = true,
            paramLabel = "FILE",
            description = "The node's flows in ovs-ofctl text: ovs-anp compile output or ovs-ofctl dump-flows.")
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
        CompileOptions options = placement.compileOptions(serviceVips);
        FlowSet flows = readFlows();
        ClusterSnapshot snapshot = cluster.load();
        if (!snapshot.nodeNames().contains(node)) {
            throw new BadInput("node \"" + node + "\" is not in the snapshot; known nodes: "
                    + String.join(", ", snapshot.nodeNames()));
        }
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        report(policies.diagnostics(), false);
        long started = System.nanoTime();
        VerifyResult result;
        try {
            result = new Verifier(snapshot, policies, options).verify(node, flows, maxCounterexamples);
        } catch (IllegalArgumentException e) {
            throw new BadInput("cannot verify " + flowsFile + ": " + e.getMessage());
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        String summary = "node=" + node + " " + flows.size() + " flows, " + result.cellsChecked() + " cells checked in "
                + ms + " ms: "
                + (result.equal() ? "equal to the evaluator" : result.cellsDiffering() + " cells differ");
        if (json) {
            out().print(JsonOutput.write(document(result, flows.size(), ms)));
        } else {
            for (Counterexample c : result.counterexamples()) {
                out().println(c.describe());
            }
            out().println(summary);
        }
        return result.equal() ? Main.EXIT_OK : Main.EXIT_FOUND;
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

    private Map<String, Object> document(VerifyResult result, int flowCount, long ms) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("node", node);
        doc.put("equal", result.equal());
        doc.put("flows", flowCount);
        doc.put("cellsChecked", result.cellsChecked());
        doc.put("cellsDiffering", result.cellsDiffering());
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
