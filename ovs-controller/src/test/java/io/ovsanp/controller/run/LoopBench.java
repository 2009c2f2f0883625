package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileMemo;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.compile.SnapshotIndex;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark harness, not a test: the controller loop's CPU work per API event on a big cluster
 * (which nodes a change dirties, {@link DirtyNodes}, and the recompile of those nodes with their
 * previous allocation, on as many threads as the loop's workers). Switch I/O is left out: it is
 * measured by SyncBenchmarkIT. Run with
 *
 * <pre>./mvnw -q test-compile -pl ovs-controller -am
 * ./mvnw -q dependency:build-classpath -pl ovs-controller -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp
 * java -Xmx3g -cp flow-compiler/target/classes:flow-compiler/target/test-classes:ovs-controller/target/classes:\
 *     ovs-controller/target/test-classes:$(cat /tmp/cp) io.ovsanp.controller.run.LoopBench 1000 20 200</pre>
 *
 * (arguments: nodes, pods per node, ANPs of 10 rules each, and {@code agent} for one node's compile per
 * event instead of the whole loop's). The workload: every node's pods in one
 * namespace of 100 (20 namespace groups), so an ANP's subject covers 1/20 of the nodes; each ANP has 4
 * rules to 25 external CIDRs, 3 to pods (by namespace group and app label) and 3 to nodes (by zone); a
 * BANP of 3 rules; 10 NetworkPolicies per namespace (1,000). The full sync runs twice: first as the
 * baseline with the snapshot's selectors resolved per node ({@link SnapshotIndex#UNSHARED_PROPERTY}),
 * then shared, which is how the loop runs.
 */
public final class LoopBench {
    private LoopBench() {}

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int podsPerNode = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int anps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int workers = ControllerLoop.Options.DEFAULT.workers();
        ClusterSnapshot base = cluster(nodes, podsPerNode, anps, 0, 0);
        if (args.length > 3 && args[3].equals("agent")) {
            agent(nodes, podsPerNode, anps, base);
            return;
        }
        System.out.printf(
                "cluster: %d nodes, %d pods, %d ANPs x 10 rules, a BANP, %d NetworkPolicies; %d worker(s)%n",
                nodes, base.pods().size(), anps, base.networkPolicies().size(), workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);

        // Baseline in the same run: every node's compile resolves the snapshot's selectors itself.
        System.setProperty(SnapshotIndex.UNSHARED_PROPERTY, "true");
        Map<String, CompileResult> unsharedResults = new ConcurrentHashMap<>();
        long u0 = System.nanoTime();
        step(base, null, new ConcurrentHashMap<>(), unsharedResults, pool, Set.copyOf(base.nodeNames()));
        long unshared = (System.nanoTime() - u0) / 1_000_000;
        unsharedResults.clear();
        MEMOS.clear();
        System.clearProperty(SnapshotIndex.UNSHARED_PROPERTY);
        System.out.printf("full sync, baseline (selectors resolved per node): %d ms%n", unshared);

        Map<String, Allocation> allocations = new ConcurrentHashMap<>();
        Map<String, CompileResult> results = new ConcurrentHashMap<>();
        DirtyNodes dirty = new DirtyNodes();
        TIMES.clear();
        long t0 = System.nanoTime();
        int full = step(base, dirty, allocations, results, pool, Set.copyOf(base.nodeNames()));
        long shared = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(
                "full sync: %d nodes compiled in %d ms (%.2f x the baseline); per node: %s%n",
                full, shared, (double) shared / unshared, percentiles());
        long flows = results.values().stream().mapToLong(r -> r.flows().size()).sum();
        System.out.printf(
                "heap after full sync, every node's compiled flows held (%d flows): %d MiB%n", flows, usedHeapMiB());

        ClusterSnapshot podAdded = withExtraPod(base);
        event("one pod added", podAdded, dirty, allocations, results, pool);
        ClusterSnapshot relabelled = cluster(nodes, podsPerNode, anps, 1, 0);
        relabelled = relabelled.withPods(podAdded.pods());
        event("one node relabelled", relabelled, dirty, allocations, results, pool);
        ClusterSnapshot edited = cluster(nodes, podsPerNode, anps, 1, 1).withPods(podAdded.pods());
        event("one ANP edited", edited, dirty, allocations, results, pool);
        pool.shutdown();
    }

    /**
     * Agent mode (argument {@code agent}, its own JVM: an agent holds one node's state, not a
     * thousand): one node, one event at a time, each a new snapshot, as the loop reads one per event.
     */
    private static void agent(int nodes, int podsPerNode, int anps, ClusterSnapshot base) {
        // Agent mode: one node, an event at a time, each event a new snapshot (as the loop reads one).
        String node = "n10"; // subject of 10 ANPs; its rules pick the added pod and zone z2 (relabel)
        System.out.printf(
                "one node's compile per event (%s, CPU time of the compiling thread; baseline: the same"
                        + " compile from scratch, without memo or carried-over index, in the same run):%n",
                node);
        agentEvents("pod added / removed", node, base, withExtraPod(base));
        agentEvents("pod on the node added / removed", node, base, withLocalPod(base, node));
        // Unchanged pods stay the same instances from one snapshot to the next, as ClusterWatcher keeps them.
        List<PodInfo> same = base.pods();
        agentEvents(
                "node relabelled / back",
                node,
                base,
                cluster(nodes, podsPerNode, anps, 1, 0).withPods(same));
        // anp10's CIDRs: n10 runs pods of its subject
        agentEvents(
                "ANP edited / back",
                node,
                base,
                cluster(nodes, podsPerNode, anps, 0, 11).withPods(same));
    }

    private static final int AGENT_ROUNDS = 200;

    /** Alternates {@code a} and {@code b} for one node; prints the incremental and baseline CPU times. */
    private static void agentEvents(String what, String node, ClusterSnapshot a, ClusterSnapshot b) {
        String only = System.getProperty("ovsanp.bench.only"); // one kind of event, e.g. for a profile
        if (only != null && !what.contains(only)) return;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        EffectivePolicies pa = PolicyValidator.validate(a);
        EffectivePolicies pb = PolicyValidator.validate(b);
        CompileMemo memo = new CompileMemo();
        CompileResult r = Compiler.compile(a, pa, node, Allocation.EMPTY, CompileOptions.DEFAULT, memo);
        long[] incremental = new long[AGENT_ROUNDS];
        long[] baseline = new long[AGENT_ROUNDS];
        int reused = 0;
        int compiled = 0;
        int restReused = 0;
        // Each round's pod list is made as the controller's ClusterWatcher makes it: the previous
        // list with the pods that left and came merged in (ClusterSnapshot.mergeSorted).
        List<PodInfo> onlyA = without(a.pods(), b.pods());
        List<PodInfo> onlyB = without(b.pods(), a.pods());
        List<PodInfo> pods = a.pods();
        for (int i = 0; i < AGENT_ROUNDS; i++) {
            boolean toB = i % 2 == 0;
            if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
                pods = ClusterSnapshot.mergeSorted(
                        pods, toB ? onlyA : onlyB, toB ? onlyB : onlyA, ClusterSnapshot.POD_ORDER);
            }
            ClusterSnapshot s = (toB ? b : a).withPods(pods);
            EffectivePolicies p = i % 2 == 0 ? pb : pa;
            Allocation previous = r.allocation();
            long t0 = cpu.getCurrentThreadCpuTime();
            r = Compiler.compile(s, p, node, previous, CompileOptions.DEFAULT, memo);
            incremental[i] = cpu.getCurrentThreadCpuTime() - t0;
            reused += memo.reused();
            compiled += memo.compiled();
            restReused += memo.restReused();
            ClusterSnapshot again = copy(s);
            System.setProperty(SnapshotIndex.UNSHARED_PROPERTY, "true");
            try {
                long b0 = cpu.getCurrentThreadCpuTime();
                CompileResult scratch = Compiler.compile(again, p, node, previous, CompileOptions.DEFAULT);
                baseline[i] = cpu.getCurrentThreadCpuTime() - b0;
                if (!scratch.flows().equals(r.flows())) {
                    throw new IllegalStateException("incremental and scratch compiles differ for " + node);
                }
            } finally {
                System.clearProperty(SnapshotIndex.UNSHARED_PROPERTY);
            }
        }
        // The first half warms the JIT up.
        long[] inc = java.util.Arrays.copyOfRange(incremental, AGENT_ROUNDS / 2, AGENT_ROUNDS);
        long[] base = java.util.Arrays.copyOfRange(baseline, AGENT_ROUNDS / 2, AGENT_ROUNDS);
        java.util.Arrays.sort(inc);
        java.util.Arrays.sort(base);
        System.out.printf(
                "  %s: incremental p50 %.2f ms, p99 %.2f ms; baseline p50 %.2f ms, p99 %.2f ms; ratio of p50s %.2f;"
                        + " rules per event reused %d, compiled %d (of which kept their non-source flows %d)%n",
                what,
                inc[inc.length / 2] / 1e6,
                inc[inc.length * 99 / 100] / 1e6,
                base[base.length / 2] / 1e6,
                base[base.length * 99 / 100] / 1e6,
                (double) inc[inc.length / 2] / base[base.length / 2],
                reused / AGENT_ROUNDS,
                compiled / AGENT_ROUNDS,
                restReused / AGENT_ROUNDS);
    }

    /** The pods of {@code from} that {@code other} does not hold (the same instance). */
    private static List<PodInfo> without(List<PodInfo> from, List<PodInfo> other) {
        Set<PodInfo> in = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        in.addAll(other);
        return from.stream().filter(p -> !in.contains(p)).toList();
    }

    /** The same cluster as a new snapshot instance (the loop reads a new one per event). */
    private static ClusterSnapshot copy(ClusterSnapshot s) {
        return s.withPods(s.pods());
    }

    /** Each node's memo, as the loop keeps one per node. */
    private static final Map<String, CompileMemo> MEMOS = new ConcurrentHashMap<>();

    /** Per-node compile times of the last step, milliseconds. */
    private static final List<Long> TIMES = java.util.Collections.synchronizedList(new ArrayList<>());

    private static String percentiles() {
        List<Long> t = new ArrayList<>(TIMES);
        if (t.isEmpty()) return "-";
        java.util.Collections.sort(t);
        return String.format(
                "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                t.get(t.size() / 2) / 1e6,
                t.get(Math.min(t.size() - 1, (int) Math.ceil(t.size() * 0.99) - 1)) / 1e6,
                t.get(t.size() - 1) / 1e6);
    }

    private static long usedHeapMiB() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return (rt.totalMemory() - rt.freeMemory()) >> 20;
    }

    private static void event(
            String what,
            ClusterSnapshot next,
            DirtyNodes dirty,
            Map<String, Allocation> allocations,
            Map<String, CompileResult> results,
            ExecutorService pool)
            throws Exception {
        TIMES.clear();
        long t0 = System.nanoTime();
        DirtyNodes.Changes c = dirty.next(next);
        long decided = System.nanoTime();
        Set<String> todo = c.all() ? Set.copyOf(next.nodeNames()) : c.nodes();
        int n = step(next, null, allocations, results, pool, todo);
        long done = System.nanoTime();
        int reused = 0;
        int compiled = 0;
        for (String node : todo) {
            reused += MEMOS.get(node).reused();
            compiled += MEMOS.get(node).compiled();
        }
        System.out.printf(
                "%s: %d node(s) dirty, decided in %.1f ms, recompiled in %d ms (total %d ms); per node: %s;"
                        + " rules reused %d, compiled %d%n",
                what,
                n,
                (decided - t0) / 1e6,
                (done - decided) / 1_000_000,
                (done - t0) / 1_000_000,
                percentiles(),
                reused,
                compiled);
    }

    /** Compiles {@code todo} (with their previous allocations) in parallel; records their inputs. */
    private static int step(
            ClusterSnapshot s,
            DirtyNodes first,
            Map<String, Allocation> allocations,
            Map<String, CompileResult> results,
            ExecutorService pool,
            Set<String> todo)
            throws Exception {
        EffectivePolicies p = PolicyValidator.validate(s);
        if (first != null) first.next(s);
        List<Future<CompileResult>> fs = new ArrayList<>();
        for (String node : todo) {
            fs.add(pool.submit(() -> {
                long c0 = System.nanoTime();
                CompileResult r = Compiler.compile(
                        s,
                        p,
                        node,
                        allocations.getOrDefault(node, Allocation.EMPTY),
                        CompileOptions.DEFAULT,
                        MEMOS.computeIfAbsent(node, n -> new CompileMemo()));
                TIMES.add(System.nanoTime() - c0);
                allocations.put(node, r.allocation());
                results.put(node, r);
                return r;
            }));
        }
        for (Future<CompileResult> f : fs) f.get();
        if (first != null) {
            for (String node : todo) first.compiled(node, NodeInputs.of(s, p, node));
        }
        return todo.size();
    }

    /** The workload; {@code relabel > 0} moves n7 to zone z2, {@code edit > 0} changes ANP {@code edit - 1}'s CIDRs. */
    static ClusterSnapshot cluster(int nodes, int podsPerNode, int anps, int relabel, int edit) {
        List<NodeInfo> ns = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            String zone = "z" + ((i == 7 && relabel > 0) ? 2 : i % 20);
            ns.add(new NodeInfo(
                    "n" + i,
                    Map.of("zone", zone, "kubernetes.io/hostname", "n" + i),
                    List.of(IpAddress.parse("172.16." + (i / 250) + "." + (i % 250 + 1)))));
        }
        List<NamespaceInfo> namespaces = new ArrayList<>();
        for (int j = 0; j < 100; j++) namespaces.add(new NamespaceInfo("ns" + j, Map.of("group", "g" + (j % 20))));
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            for (int k = 0; k < podsPerNode; k++) {
                int x = i * podsPerNode + k;
                // a node's pods share one namespace: ANP subjects (by namespace group) cover 1/20 of the nodes
                pods.add(pod("ns" + (i % 100), "p" + x, "n" + i, x, "a" + (x % 50)));
            }
        }
        List<AdminPolicy> policies = new ArrayList<>();
        for (int a = 0; a < anps; a++) {
            List<Rule> rules = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                int id = a * 10 + r;
                Peer peer;
                List<PortMatch> ports;
                if (r % 3 == 0) {
                    List<String> cidrs = new ArrayList<>();
                    int salt = (edit > 0 && a == edit - 1) ? 1 : 0;
                    for (int c = 0; c < 25; c++) {
                        int y = id * 25 + c + salt * 7919;
                        cidrs.add((100 + (y >> 16) % 100) + "." + ((y >> 8) & 0xff) + "." + (y & 0xff) + ".0/24");
                    }
                    peer = new Peer.Networks(cidrs);
                    ports = List.of(tcp(443), tcp(80), tcp(8443));
                } else if (r % 3 == 1) {
                    peer = new Peer.Pods(sel("group", "g" + (id % 20)), sel("app", "a" + (id % 50)));
                    ports = List.of(tcp(5432));
                } else {
                    peer = new Peer.Nodes(sel("zone", "z" + (id % 20)));
                    ports = List.of(tcp(10250), tcp(22));
                }
                rules.add(new Rule(r, "r" + r, r % 2 == 0 ? Action.DENY : Action.ALLOW, List.of(peer), ports));
            }
            policies.add(new AdminPolicy(
                    new ObjectRef("AdminNetworkPolicy", "", "anp" + a, "uid-" + a, SourceRef.NONE),
                    Tier.ADMIN,
                    a % 1000,
                    new Subject(sel("group", "g" + (a % 20)), LabelSelector.ALL),
                    rules,
                    0,
                    List.of()));
        }
        // The baseline: pods may reach the cluster's pods and DNS, nothing else outside.
        policies.add(new AdminPolicy(
                new ObjectRef("BaselineAdminNetworkPolicy", "", "default", "uid-banp", SourceRef.NONE),
                Tier.BASELINE,
                0,
                new Subject(LabelSelector.ALL, LabelSelector.ALL),
                List.of(
                        new Rule(
                                0,
                                "dns",
                                Action.ALLOW,
                                List.of(new Peer.Networks(List.of("10.96.0.10/32"))),
                                List.of(new PortMatch.Number(Protocol.UDP, 53))),
                        new Rule(1, "pods", Action.ALLOW, List.of(new Peer.Networks(List.of("10.0.0.0/8"))), List.of()),
                        new Rule(2, "rest", Action.DENY, List.of(new Peer.Networks(List.of("0.0.0.0/0"))), List.of())),
                0,
                List.of()));
        // 10 NetworkPolicies per namespace: pods of one app may reach their namespace group's pods on
        // 8080 and one external /16.
        List<NetworkPolicy> nps = new ArrayList<>();
        for (int j = 0; j < 100; j++) {
            for (int k = 0; k < 10; k++) {
                nps.add(new NetworkPolicy(
                        new ObjectRef("NetworkPolicy", "ns" + j, "np" + k, "uid-np-" + j + "-" + k, SourceRef.NONE),
                        sel("app", "a" + ((j + k * 5) % 50)),
                        true,
                        List.of(new Rule(
                                0,
                                "",
                                Action.ALLOW,
                                List.of(
                                        new Peer.Pods(sel("group", "g" + (j % 20)), LabelSelector.ALL),
                                        new Peer.IpBlock("192.168." + k + ".0/24", List.of())),
                                List.of(tcp(8080)))),
                        List.of()));
            }
        }
        return new ClusterSnapshot(namespaces, pods, ns, List.of(), List.of(), policies, nps, List.of());
    }

    private static PodInfo pod(String ns, String name, String node, int x, String app) {
        return new PodInfo(
                ns,
                name,
                node,
                false,
                List.of(IpAddress.parse("10." + (x >> 16 & 0xff) + "." + (x >> 8 & 0xff) + "." + (x & 0xff))),
                Map.of("app", app),
                List.of());
    }

    private static ClusterSnapshot withExtraPod(ClusterSnapshot s) {
        List<PodInfo> pods = new ArrayList<>(s.pods());
        // picked by the pod selections of rules 1, 101, ... (ANPs 0, 10, 20, ...: subjects in g0 and g10)
        pods.add(pod("ns1", "new-pod", "n3", 0xfff0f0, "a1"));
        return s.withPods(pods);
    }

    /** A pod on {@code node} like its first one (same namespace and labels): a subject of the same rules. */
    private static ClusterSnapshot withLocalPod(ClusterSnapshot s, String node) {
        PodInfo like = s.pods().stream()
                .filter(p -> p.nodeName().equals(node))
                .findFirst()
                .orElseThrow();
        List<PodInfo> pods = new ArrayList<>(s.pods());
        pods.add(new PodInfo(
                like.namespace(),
                "local-pod",
                node,
                false,
                List.of(IpAddress.parse("10.255.241.241")),
                like.labels(),
                List.of()));
        return s.withPods(pods);
    }

    private static LabelSelector sel(String k, String v) {
        return new LabelSelector(Map.of(k, v), List.of());
    }

    private static PortMatch tcp(int port) {
        return new PortMatch.Number(Protocol.TCP, port);
    }
}
