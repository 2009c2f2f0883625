package io.ovsanp.compiler.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.property.RandomClusters;
import io.ovsanp.compiler.sim.AmbiguousLookupException;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The verifier against the compiler and the simulator: on random clusters the compiled flows of
 * every node verify equal, and when one rule flow is removed and that changes the simulated verdict
 * of some packet, the verifier reports a difference, with counterexamples the simulator confirms.
 */
class VerifierProperties {
    private static final List<String> NODES = List.of("n0", "n1", "n2");

    @Property(tries = 30)
    void compiledFlowsVerifyEqualOnEveryNode(@ForAll long seed) {
        RandomClusters gen = new RandomClusters(seed);
        ClusterSnapshot snapshot = gen.cluster();
        CompileOptions options = CompileOptions.DEFAULT.withServiceVips(gen.serviceVips());
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        Verifier verifier = new Verifier(snapshot, policies, options);
        for (String node : NODES) {
            FlowSet flows = Compiler.compile(snapshot, policies, node, Allocation.EMPTY, options)
                    .flows();
            VerifyResult result = verifier.verify(node, flows, 3);
            assertThat(result.equal())
                    .as("seed %d node %s:%n%s%nflows:%n%s", seed, node, describe(result), render(flows, options))
                    .isTrue();
            Statistics.label("cells per node").collect(bucket(result.cellsChecked()));
        }
    }

    @Property(tries = 100)
    void removingARuleFlowThatChangesAVerdictIsAlwaysCaught(@ForAll long seed) {
        RandomClusters gen = new RandomClusters(seed);
        ClusterSnapshot snapshot = gen.cluster();
        CompileOptions options = CompileOptions.DEFAULT.withServiceVips(gen.serviceVips());
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        Random r = new Random(seed);
        String node = NODES.get(r.nextInt(NODES.size()));
        FlowSet flows = Compiler.compile(snapshot, policies, node, Allocation.EMPTY, options)
                .flows();
        List<Flow> rules = flows.flows().stream()
                .filter(f -> f.cookie().categoryCode() != Cookie.Category.PIPELINE.code
                        && f.cookie().categoryCode() != Cookie.Category.MEGAFLOW_GUARD.code)
                .toList();
        if (rules.isEmpty()) {
            Statistics.label("mutation").collect("no rule flow on the node");
            return;
        }
        Flow removed = rules.get(r.nextInt(rules.size()));
        List<Flow> rest = new ArrayList<>(flows.flows());
        rest.remove(removed);
        FlowSet mutated = FlowSet.of(rest);

        VerifyResult result = new Verifier(snapshot, policies, options).verify(node, mutated, 5);
        Simulator before = new Simulator(flows);
        Simulator after = new Simulator(mutated);
        Optional<Packet> changed = gen.packets(snapshot, 300).stream()
                .filter(p -> !verdict(before, p).equals(verdict(after, p)))
                .findFirst();
        Statistics.label("mutation")
                .collect(
                        changed.isPresent()
                                ? "a sampled verdict changed"
                                : result.equal() ? "no change" : "only verify saw it");
        if (changed.isPresent()) {
            assertThat(result.equal())
                    .as(
                            "seed %d node %s: without %s the verdict of %s changed, but verify reports equal",
                            seed, node, OfctlRenderer.render(removed), changed.get())
                    .isFalse();
        }
        for (Counterexample c : result.counterexamples()) {
            Optional<Boolean> got = verdict(after, c.packet());
            assertThat(got.orElse(false)).as("seed %d: %s", seed, c.describe()).isEqualTo(c.switchAllows());
            assertThat(verdict(before, c.packet()))
                    .as("seed %d: the compiled flows gave the evaluator's verdict on %s", seed, c.packet())
                    .contains(c.evaluatorAllows());
        }
        Statistics.label("mutation")
                .coverage(cov -> cov.check("a sampled verdict changed").count(n -> n >= 5));
    }

    /**
     * Against the oracle, on random clusters (with what their pods learned from DNS) and one random
     * edit of a node's compiled flows: the verifier reports a difference exactly when checking every
     * cell of the global partition through the whole table and the whole evaluator finds one.
     */
    @Property(tries = 80)
    void agreesWithTheCellByCellOracleOnMutatedFlows(@ForAll long seed) {
        RandomClusters gen = new RandomClusters(seed);
        ClusterSnapshot snapshot = gen.cluster();
        CompileOptions options = CompileOptions.DEFAULT.withServiceVips(gen.serviceVips());
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        ResolverStates learned = gen.resolved(snapshot);
        Random r = new Random(seed);
        // a node with pods, where policy has something to enforce
        List<String> withPods = snapshot.pods().stream()
                .filter(p -> !p.hostNetwork() && NODES.contains(p.nodeName()))
                .map(p -> p.nodeName())
                .toList();
        String node =
                withPods.isEmpty() ? NODES.get(r.nextInt(NODES.size())) : withPods.get(r.nextInt(withPods.size()));
        FlowSet flows = Compiler.compile(snapshot, policies, node, Allocation.EMPTY, options, learned)
                .flows();
        Optional<FlowMutations.Mutation> mutation =
                r.nextInt(10) == 0 ? Optional.of(new FlowMutations.Mutation("none", "", flows)) : Optional.empty();
        for (int attempt = 0; attempt < 20 && mutation.isEmpty(); attempt++) {
            mutation = FlowMutations.mutate(flows, r);
        }
        if (mutation.isEmpty()) {
            Statistics.label("mutation").collect("not applicable");
            return;
        }
        FlowMutations.Mutation m = mutation.get();
        FlowSet mutated = m.flows();
        VerifyResult oracle;
        try {
            oracle = new CellByCellOracle(snapshot, policies, options, learned).verify(node, mutated, 1);
        } catch (IllegalArgumentException refused) {
            assertThatThrownBy(() -> new Verifier(snapshot, policies, options, learned).verify(node, mutated, 1))
                    .as("seed %d: the oracle refused %s (%s)", seed, m.what(), refused.getMessage())
                    .isInstanceOf(IllegalArgumentException.class);
            Statistics.label("mutation").collect("refused by both");
            return;
        }
        VerifyResult result = new Verifier(snapshot, policies, options, learned).verify(node, mutated, 3);
        Statistics.label("mutation").collect(m.kind() + (oracle.equal() ? " (no verdict changed)" : " (caught)"));
        assertThat(result.equal())
                .as(
                        "seed %d node %s, %s %s: the oracle found %s; verify found %s",
                        seed, node, m.kind(), m.what(), describe(oracle), describe(result))
                .isEqualTo(oracle.equal());
        if (oracle.equal()) {
            // and no sampled packet of the node's pods changed its simulated verdict
            Set<IpAddress> local = snapshot.pods().stream()
                    .filter(p -> !p.hostNetwork() && p.nodeName().equals(node))
                    .flatMap(p -> p.ips().stream())
                    .collect(Collectors.toSet());
            Simulator before = new Simulator(flows);
            Simulator after = new Simulator(mutated);
            for (Packet p : gen.packets(snapshot, 300)) {
                if (local.contains(p.src()) || local.contains(p.dst())) {
                    assertThat(verdict(after, p))
                            .as(
                                    "seed %d node %s, %s %s: verify equal, but %s changed",
                                    seed, node, m.kind(), m.what(), p)
                            .isEqualTo(verdict(before, p));
                }
            }
        }
        Statistics.label("verdicts").collect(oracle.equal() ? "unchanged" : "changed");
        Statistics.label("verdicts").coverage(cov -> {
            cov.check("changed").count(n -> n >= 2);
            cov.check("unchanged").count(n -> n >= 8);
        });
    }

    /** The simulated verdict; empty when OVS's choice is undefined. */
    private static Optional<Boolean> verdict(Simulator sim, Packet p) {
        SimPacket sp = SimPacket.ip(
                p.src().toString(),
                p.dst().toString(),
                p.proto().number(),
                p.proto().hasPorts() ? p.dstPort() : -1);
        try {
            return Optional.of(sim.run(sp, new TableId(0)).allowed());
        } catch (AmbiguousLookupException e) {
            return Optional.empty();
        }
    }

    private static String bucket(long cells) {
        return cells == 0 ? "0" : cells < 1000 ? "<1k" : cells < 10_000 ? "<10k" : ">=10k";
    }

    private static String describe(VerifyResult r) {
        StringBuilder b = new StringBuilder(r.cellsDiffering() + " of " + r.cellsChecked() + " cells differ");
        r.counterexamples().forEach(c -> b.append('\n').append(c.describe()));
        return b.toString();
    }

    private static String render(FlowSet flows, CompileOptions options) {
        return OfctlRenderer.renderAll(flows, options.pipeline());
    }
}
