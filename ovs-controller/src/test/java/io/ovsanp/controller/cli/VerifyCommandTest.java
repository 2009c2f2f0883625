package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.Simulator;
import io.ovsanp.compiler.verify.Counterexample;
import io.ovsanp.compiler.verify.Verifier;
import io.ovsanp.compiler.verify.VerifyResult;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ovs-anp verify}: every example's compiled flows are equal to the evaluator on every node,
 * through the CLI as a user runs it; a flow removed or turned around is caught, with a counterexample
 * on which the simulator really changed its verdict.
 */
class VerifyCommandTest {
    @TempDir
    Path tmp;

    static Stream<Path> examples() throws Exception {
        return GoldenFilesTest.examples();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void compiledFlowsOfEveryNodeVerifyEqual(Path example) throws Exception {
        List<String> extra = GoldenFilesTest.extraArgs(example);
        ClusterSnapshot snapshot = SnapshotLoader.load(List.of(example));
        assertThat(snapshot.nodeNames()).isNotEmpty();
        for (String node : snapshot.nodeNames()) {
            List<String> compile = new ArrayList<>(List.of("compile", "--cluster", example.toString(), "--node", node));
            compile.addAll(extra);
            CliRun compiled = CliRun.of(compile.toArray(String[]::new));
            assertThat(compiled.exit()).as(compiled.err()).isZero();
            Path flows = tmp.resolve(node + ".flows");
            Files.writeString(flows, compiled.out());

            CliRun r = verify(example, node, flows, extra);
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out().lines().toList())
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("node=" + node + " ")
                    .contains(" cells checked (")
                    .endsWith("equal to the evaluator");
        }
    }

    /**
     * In CNI placement only the stage's tables are ovs-anp's: the CNI's own flows around them (here a
     * drop-everything table 0 and a drop at the exit table) are not part of the verdict, and what
     * reaches the exit is the CNI's to forward. The same stage without its exit flow is caught.
     */
    @Test
    void inCniPlacementOnlyTheStageCountsAndItsExitAllows() throws Exception {
        Path example = CliRun.repo().resolve("examples/internet-blocked-intranet-allowed");
        List<String> placement =
                List.of("--first-table", "20", "--exit", "resubmit:10", "--conntrack", "cni", "--ct-zone", "5");
        List<String> compile =
                new ArrayList<>(List.of("compile", "--cluster", example.toString(), "--node", "worker-1"));
        compile.addAll(placement);
        CliRun compiled = CliRun.of(compile.toArray(String[]::new));
        assertThat(compiled.exit()).as(compiled.err()).isZero();
        Path flows = tmp.resolve("cni.flows");
        Files.writeString(
                flows, compiled.out() + "table=0,priority=0 actions=drop\ntable=10,priority=0 actions=drop\n");
        CliRun r = verify(example, "worker-1", flows, placement);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();

        String withoutExit = compiled.out()
                .lines()
                .filter(l -> !l.contains("actions=resubmit(,10)"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(withoutExit).isNotEqualTo(compiled.out().strip());
        Files.writeString(flows, withoutExit + "\n");
        CliRun broken = verify(example, "worker-1", flows, placement);
        assertThat(broken.exit()).as(broken.out() + broken.err()).isEqualTo(Main.EXIT_FOUND);
    }

    @Test
    void exactlyOneOfFlowsAndSwitch() throws Exception {
        Path example = CliRun.repo().resolve("examples/internet-blocked-intranet-allowed");
        Path flows = tmp.resolve("x.flows");
        Files.writeString(flows, "");
        CliRun neither = CliRun.of("verify", "--cluster", example.toString(), "--node", "worker-1");
        assertThat(neither.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(neither.err()).contains("exactly one of --switch TARGET").contains("--flows FILE");
        CliRun both = CliRun.of(
                "verify",
                "--cluster",
                example.toString(),
                "--node",
                "worker-1",
                "--flows",
                flows.toString(),
                "--switch",
                "unix:/nonexistent.mgmt");
        assertThat(both.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(both.err()).contains("exactly one of --switch TARGET");
    }

    @Test
    void aDeletedDenyFlowIsCaughtWithTheSwitchsPathAndTheDecidingRule() throws Exception {
        Path example = CliRun.repo().resolve("examples/internet-blocked-intranet-allowed");
        ClusterSnapshot snapshot = SnapshotLoader.load(List.of(example));
        String node = "worker-1";
        CompileResult compiled = Compiler.compile(
                snapshot, PolicyValidator.validate(snapshot), node, Allocation.EMPTY, CompileOptions.DEFAULT);
        // The first flow of the AdminEgress table that decides a verdict by itself: a drop.
        TableId adminEgress = PipelineSpec.standalone().id(PipelineSpec.ADMIN_EGRESS);
        Flow deny = compiled.flows().table(adminEgress).stream()
                .filter(f ->
                        !f.isClause() && f.actions().isEmpty() && f.priority().value() > 0)
                .findFirst()
                .orElseThrow();
        List<Flow> edited = new ArrayList<>(compiled.flows().flows());
        edited.remove(deny);
        Path flows = tmp.resolve("edited.flows");
        Files.writeString(flows, OfctlRenderer.renderAll(FlowSet.of(edited), CompileOptions.DEFAULT.pipeline()));

        CliRun r = verify(example, node, flows, List.of("--max-counterexamples", "2"));
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(Main.EXIT_FOUND);
        assertThat(r.out())
                .contains("switch ALLOW, evaluator DENY")
                .contains("egress: DENY by ")
                .contains("table 3: ")
                .contains(" cells differ");
        assertThat(r.out().lines().filter(l -> l.contains(": switch ")).count()).isEqualTo(2);

        CliRun json = verify(example, node, flows, List.of("-o", "json"));
        assertThat(json.exit()).isEqualTo(Main.EXIT_FOUND);
        assertThat(json.out()).contains("\"equal\" : false").contains("\"counterexamples\"");
    }

    @Test
    void everyCounterexampleIsAPacketWhoseSimulatedVerdictTheEditChanged() throws Exception {
        Path example = CliRun.repo().resolve("examples/tenant-isolation-pass-to-networkpolicy");
        ClusterSnapshot snapshot = SnapshotLoader.load(List.of(example));
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        Verifier verifier = new Verifier(snapshot, policies, CompileOptions.DEFAULT);
        int caught = 0;
        for (String node : snapshot.nodeNames()) {
            FlowSet flows = Compiler.compile(snapshot, policies, node, Allocation.EMPTY, CompileOptions.DEFAULT)
                    .flows();
            Simulator original = new Simulator(flows);
            for (Flow f : flows) {
                if (f.priority().value() < 100) {
                    continue; // the pipeline's own flows; rule flows have priorities from 100
                }
                List<Flow> rest = new ArrayList<>(flows.flows());
                rest.remove(f);
                FlowSet mutated = FlowSet.of(rest);
                VerifyResult result = verifier.verify(node, mutated, 3);
                Simulator sim = new Simulator(mutated);
                for (Counterexample c : result.counterexamples()) {
                    SimPacket p = toSim(c.packet());
                    assertThat(sim.run(p, new TableId(0)).allowed()).isEqualTo(c.switchAllows());
                    assertThat(original.run(p, new TableId(0)).allowed())
                            .as("without %s the flows changed their verdict on %s", f, c.packet())
                            .isEqualTo(c.evaluatorAllows())
                            .isNotEqualTo(c.switchAllows());
                }
                if (!result.equal()) caught++;
            }
        }
        assertThat(caught).as("removing a rule flow changes some verdict").isPositive();
    }

    @Test
    void flowsOfSeveralNodesInOneFileAreBadInput() throws Exception {
        Path example = CliRun.repo().resolve("examples/node-ports-blocked");
        CliRun all = CliRun.of("compile", "--cluster", example.toString());
        Path flows = tmp.resolve("all.flows");
        Files.writeString(flows, all.out());
        ClusterSnapshot snapshot = SnapshotLoader.load(List.of(example));
        CliRun r = verify(example, snapshot.nodeNames().get(0), flows, List.of());
        assertThat(r.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("give the flows of one node");
    }

    private static SimPacket toSim(Packet p) {
        return SimPacket.ip(
                p.src().toString(),
                p.dst().toString(),
                p.proto().number(),
                p.proto().hasPorts() ? p.dstPort() : -1);
    }

    private static CliRun verify(Path example, String node, Path flows, List<String> extra) {
        List<String> args = new ArrayList<>(
                List.of("verify", "--cluster", example.toString(), "--node", node, "--flows", flows.toString()));
        args.addAll(extra);
        return CliRun.of(args.toArray(String[]::new));
    }
}
