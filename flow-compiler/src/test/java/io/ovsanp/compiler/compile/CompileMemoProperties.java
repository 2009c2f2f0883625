package io.ovsanp.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.property.RandomClusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Incremental compilation changes cost, never results: over a random cluster changing step by step
 * (a pod relabelled, moved, added or removed, namespaces, nodes, Services or policies replaced), every
 * node's compile with its {@link CompileMemo} and the carried-over {@link SnapshotIndex} equals a
 * compile from scratch (an index of its own, no memo) with the same previous allocation: flows,
 * diagnostics, allocation and statistics.
 */
class CompileMemoProperties {
    private static final List<String> NODES = List.of("n0", "n1", "n2");

    @Property(tries = 150)
    void aMemoisedCompileEqualsOneFromScratch(@ForAll long seed) {
        Random r = new Random(seed);
        RandomClusters gen = new RandomClusters(seed);
        ClusterSnapshot snapshot = gen.cluster();
        CompileOptions options = CompileOptions.DEFAULT.withServiceVips(gen.serviceVips());
        Map<String, CompileMemo> memos = new HashMap<>();
        Map<String, Allocation> allocations = new HashMap<>();
        int reused = 0;
        for (int step = 0; step < 6; step++) {
            if (step > 0) {
                snapshot = change(snapshot, new RandomClusters(r.nextLong()).cluster(), r, step);
            }
            ClusterSnapshot s = snapshot;
            EffectivePolicies policies = PolicyValidator.validate(s);
            for (String node : NODES) {
                Allocation previous = allocations.getOrDefault(node, Allocation.EMPTY);
                CompileMemo memo = memos.computeIfAbsent(node, n -> new CompileMemo());
                CompileResult incremental = Compiler.compile(s, policies, node, previous, options, memo);
                CompileResult scratch = fromScratch(() -> Compiler.compile(s, policies, node, previous, options));
                assertThat(incremental.flows()).isEqualTo(scratch.flows());
                assertThat(incremental.diagnostics()).isEqualTo(scratch.diagnostics());
                assertThat(incremental.allocation()).isEqualTo(scratch.allocation());
                assertThat(incremental.stats()).isEqualTo(scratch.stats());
                allocations.put(node, incremental.allocation());
                reused += memo.reused();
            }
        }
        // Without reuse this property would not test the memo at all.
        Statistics.label("rules reused").collect(reused > 0);
        Statistics.label("rules reused").coverage(c -> c.check(true).percentage(p -> p >= 50));
    }

    @Example
    void anUnchangedClusterReusesEveryRuleAndAChangedRuleIsCompiledAgain() {
        ClusterSnapshot s = new RandomClusters(7).cluster();
        EffectivePolicies p = PolicyValidator.validate(s);
        CompileMemo memo = new CompileMemo();
        CompileResult first = Compiler.compile(s, p, "n1", Allocation.EMPTY, CompileOptions.DEFAULT, memo);
        int rules = first.stats().rules().size();
        assertThat(rules).isPositive();
        assertThat(memo.compiled()).isEqualTo(rules);

        ClusterSnapshot same = s.withPods(s.pods());
        Compiler.compile(same, PolicyValidator.validate(same), "n1", first.allocation(), CompileOptions.DEFAULT, memo);
        assertThat(memo.reused()).isEqualTo(rules);
        assertThat(memo.compiled()).isZero();

        // Another node: nothing of n1's memo may be used.
        Compiler.compile(same, PolicyValidator.validate(same), "n0", Allocation.EMPTY, CompileOptions.DEFAULT, memo);
        assertThat(memo.reused()).isZero();
    }

    private static CompileResult fromScratch(Supplier<CompileResult> compile) {
        System.setProperty(SnapshotIndex.UNSHARED_PROPERTY, "true");
        try {
            return compile.get();
        } finally {
            System.clearProperty(SnapshotIndex.UNSHARED_PROPERTY);
        }
    }

    /** {@code s} with a few parts of {@code other} (another random cluster of the same shape). */
    private static ClusterSnapshot change(ClusterSnapshot s, ClusterSnapshot other, Random r, int step) {
        List<PodInfo> pods = new ArrayList<>(s.pods());
        int edits = r.nextInt(3);
        for (int e = 0; e < edits && !other.pods().isEmpty(); e++) {
            PodInfo b = other.pods().get(r.nextInt(other.pods().size()));
            int what = r.nextInt(3);
            if (what == 0 && !pods.isEmpty()) {
                int i = r.nextInt(pods.size());
                PodInfo a = pods.get(i);
                pods.set(
                        i,
                        new PodInfo(
                                a.namespace(),
                                a.name(),
                                b.nodeName(),
                                b.hostNetwork(),
                                b.ips(),
                                b.labels(),
                                b.ports()));
            } else if (what == 1) {
                pods.add(new PodInfo(
                        b.namespace(),
                        "q" + step + "-" + e,
                        b.nodeName(),
                        b.hostNetwork(),
                        b.ips(),
                        b.labels(),
                        b.ports()));
            } else if (!pods.isEmpty()) {
                pods.remove(r.nextInt(pods.size()));
            }
        }
        return new ClusterSnapshot(
                r.nextInt(6) == 0 ? relabelled(s.namespaces(), r) : s.namespaces(),
                pods,
                r.nextInt(6) == 0 ? other.nodes() : s.nodes(),
                r.nextInt(6) == 0 ? other.services() : s.services(),
                r.nextInt(6) == 0 ? other.endpointSlices() : s.endpointSlices(),
                r.nextInt(4) == 0 ? other.adminPolicies() : s.adminPolicies(),
                r.nextInt(6) == 0 ? other.networkPolicies() : s.networkPolicies(),
                s.loadDiagnostics());
    }

    /** One namespace takes another's labels (pods move in and out of namespace selections). */
    private static List<NamespaceInfo> relabelled(List<NamespaceInfo> namespaces, Random r) {
        List<NamespaceInfo> out = new ArrayList<>(namespaces);
        if (out.size() < 2) return out;
        int i = r.nextInt(out.size());
        int j = r.nextInt(out.size());
        out.set(i, new NamespaceInfo(out.get(i).name(), out.get(j).labels()));
        return out;
    }
}
