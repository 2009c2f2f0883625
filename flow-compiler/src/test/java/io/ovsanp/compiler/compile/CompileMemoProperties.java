package io.ovsanp.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.compiler.property.RandomClusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        int restReused = 0;
        CompileSession session = new CompileSession();
        for (int step = 0; step < 6; step++) {
            if (step > 0) {
                snapshot = change(snapshot, new RandomClusters(r.nextLong()).cluster(), r, step);
            }
            ClusterSnapshot s = snapshot;
            Compilation compilation = session.advance(s);
            EffectivePolicies policies = PolicyValidator.validate(s);
            assertThat(compilation.policies()).isEqualTo(policies);
            assertThat(compilation.nodeNames()).isEqualTo(s.nodeNames());
            for (String node : NODES) {
                Allocation previous = allocations.getOrDefault(node, Allocation.EMPTY);
                CompileMemo memo = memos.computeIfAbsent(node, n -> new CompileMemo());
                CompileResult incremental = compilation.compile(node, previous, options, memo);
                CompileResult scratch = Compiler.compile(s, policies, node, previous, options);
                assertThat(incremental.flows()).isEqualTo(scratch.flows());
                assertThat(incremental.diagnostics()).isEqualTo(scratch.diagnostics());
                assertThat(incremental.allocation()).isEqualTo(scratch.allocation());
                assertThat(incremental.stats()).isEqualTo(scratch.stats());
                assertThat(incremental.reads()).isEqualTo(scratch.reads());
                allocations.put(node, incremental.allocation());
                reused += memo.reused();
                restReused += memo.restReused();
            }
        }
        // Without reuse this property would not test the memo at all.
        Statistics.label("rules reused").collect(reused > 0);
        Statistics.label("rules reused").coverage(c -> c.check(true).percentage(p -> p >= 50));
        // nor the reuse of a recompiled rule's flows outside the source dimension
        Statistics.label("rest flows reused").collect(restReused > 0);
        Statistics.label("rest flows reused").coverage(c -> c.check(true).percentage(p -> p >= 10));
    }

    @Example
    void anUnchangedClusterReusesEveryRuleAndAChangedRuleIsCompiledAgain() {
        ClusterSnapshot s = new RandomClusters(7).cluster();
        CompileMemo memo = new CompileMemo();
        CompileSession session = new CompileSession();
        CompileResult first = session.advance(s).compile("n1", Allocation.EMPTY, CompileOptions.DEFAULT, memo);
        int rules = first.stats().rules().size();
        assertThat(rules).isPositive();
        assertThat(memo.compiled()).isEqualTo(rules);

        ClusterSnapshot same = s.withPods(s.pods());
        Compilation again = session.advance(same);
        again.compile("n1", first.allocation(), CompileOptions.DEFAULT, memo);
        assertThat(memo.reused()).isEqualTo(rules);
        assertThat(memo.compiled()).isZero();

        // Another node: nothing of n1's memo may be used.
        again.compile("n0", Allocation.EMPTY, CompileOptions.DEFAULT, memo);
        assertThat(memo.reused()).isZero();
    }

    /**
     * A namespace without a Namespace object exists while a pod is in it: when its last pod goes, a
     * destination that selected it by name must lose the pod (the previous snapshot's namespace labels
     * do not hold any more).
     */
    @Example
    void theLastPodOfAnImplicitNamespaceLeavesTheDestinationsThatSelectedIt() {
        List<NodeInfo> nodes = List.of(
                new NodeInfo("n1", Map.of(), List.of(IpAddress.parse("172.18.0.11"))),
                new NodeInfo("n2", Map.of(), List.of(IpAddress.parse("172.18.0.12"))));
        PodInfo subject =
                new PodInfo("ns0", "client", "n1", false, List.of(IpAddress.parse("10.244.1.2")), Map.of(), List.of());
        PodInfo target =
                new PodInfo("ns9", "server", "n2", false, List.of(IpAddress.parse("10.244.2.9")), Map.of(), List.of());
        LabelSelector ns9 = new LabelSelector(Map.of(NamespaceInfo.NAME_LABEL, "ns9"), List.of());
        AdminPolicy deny = new AdminPolicy(
                new ObjectRef(Tier.ADMIN.kind(), "", "deny-ns9", "u1", SourceRef.NONE),
                Tier.ADMIN,
                10,
                new Subject(LabelSelector.ALL, LabelSelector.ALL),
                List.of(new Rule(0, "ns9", Action.DENY, List.of(new Peer.Pods(ns9, LabelSelector.ALL)), List.of())),
                List.of());
        ClusterSnapshot with = new ClusterSnapshot(
                List.of(new NamespaceInfo("ns0", Map.of())),
                List.of(subject, target),
                nodes,
                List.of(),
                List.of(),
                List.of(deny),
                List.of(),
                List.of());
        ClusterSnapshot without = with.withPods(List.of(subject));
        CompileMemo memo = new CompileMemo();
        CompileSession session = new CompileSession();
        CompileResult first = session.advance(with).compile("n1", Allocation.EMPTY, CompileOptions.DEFAULT, memo);
        assertThat(first.flows().flows()).anyMatch(f -> f.match().toString().contains("nw_dst=0xaf40209"));
        EffectivePolicies p = PolicyValidator.validate(without);
        CompileResult incremental =
                session.advance(without).compile("n1", first.allocation(), CompileOptions.DEFAULT, memo);
        CompileResult scratch = Compiler.compile(without, p, "n1", first.allocation(), CompileOptions.DEFAULT);
        assertThat(incremental.flows()).isEqualTo(scratch.flows());
        assertThat(incremental.flows().flows())
                .noneMatch(f -> f.match().toString().contains("nw_dst=0xaf40209"));
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
