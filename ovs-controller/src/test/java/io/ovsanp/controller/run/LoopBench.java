package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.CompileMemo;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.CompileSession;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
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
 * baseline with the snapshot's selectors resolved per node (each compile its own index: {@link
 * Compiler#compile(ClusterSnapshot, EffectivePolicies, String, Allocation, CompileOptions)}), then
 * through one {@link CompileSession}, which is how the loop runs. Each event's {@link ClusterChange} is
 * found outside the timing, as the informers report it with the snapshot.
 */
public final class LoopBench {
    /** {@code -Dovsanp.bench.ingress=true}: the workload's policies have ingress rules too ({@link BenchWorkload}). */
    private static final boolean INGRESS = Boolean.getBoolean("ovsanp.bench.ingress");

    private LoopBench() {}

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int podsPerNode = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int anps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int workers = LoopOptions.DEFAULT.workers();
        ClusterSnapshot base = BenchWorkload.cluster(nodes, podsPerNode, anps, 0, 0, INGRESS);
        if (args.length > 3 && args[3].equals("agent")) {
            agent(nodes, podsPerNode, anps, base);
            return;
        }
        System.out.printf(
                "cluster: %d nodes, %d pods, %d ANPs x 10 rules, a BANP, %d NetworkPolicies; %d worker(s)%s%n",
                nodes,
                base.pods().size(),
                anps,
                base.networkPolicies().size(),
                workers,
                INGRESS ? "; with ingress rules" : "");
        ExecutorService pool = Executors.newFixedThreadPool(workers);

        // Baseline in the same run: every node's compile resolves the snapshot's selectors itself.
        long u0 = System.nanoTime();
        unshared(base, pool);
        long unshared = (System.nanoTime() - u0) / 1_000_000;
        System.out.printf("full sync, baseline (selectors resolved per node): %d ms%n", unshared);

        Map<String, Allocation> allocations = new ConcurrentHashMap<>();
        Map<String, CompileResult> results = new ConcurrentHashMap<>();
        Loop loop = new Loop();
        TIMES.clear();
        long t0 = System.nanoTime();
        loop.advance(base, ClusterChange.EVERYTHING);
        int full = step(loop, allocations, results, pool, Set.copyOf(loop.current.nodeNames()));
        long shared = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(
                "full sync: %d nodes compiled in %d ms (%.2f x the baseline); per node: %s%n",
                full, shared, (double) shared / unshared, percentiles());
        long flows = results.values().stream().mapToLong(r -> r.flows().size()).sum();
        System.out.printf(
                "heap after full sync, every node's compiled flows held (%d flows): %d MiB%n", flows, usedHeapMiB());

        ClusterSnapshot podAdded = BenchWorkload.withExtraPod(base);
        event("one pod added", podAdded, loop, allocations, results, pool);
        ClusterSnapshot relabelled = BenchWorkload.cluster(nodes, podsPerNode, anps, 1, 0, INGRESS);
        relabelled = sharing(podAdded, relabelled.withPods(podAdded.pods()));
        event("one node relabelled", relabelled, loop, allocations, results, pool);
        ClusterSnapshot edited = sharing(
                relabelled,
                BenchWorkload.cluster(nodes, podsPerNode, anps, 1, 1, INGRESS).withPods(podAdded.pods()));
        event("one ANP edited", edited, loop, allocations, results, pool);
        pool.shutdown();
    }

    /** What the loop keeps between events: its compile session, the current compilation, the dirty marks. */
    private static final class Loop {
        final CompileSession session = new CompileSession();
        final DirtyNodes dirty = new DirtyNodes();
        Compilation current;

        /** The loop's pass: the next compilation and the nodes it dirties. */
        DirtyNodes.Changes advance(ClusterSnapshot next, ClusterChange change) {
            Compilation previous = current;
            current = session.advance(next, change);
            return dirty.next(previous, current, change);
        }
    }

    /** Every node compiled from scratch (its own index, no memo, no previous allocation). */
    private static void unshared(ClusterSnapshot s, ExecutorService pool) throws Exception {
        EffectivePolicies p = PolicyValidator.validate(s);
        List<Future<CompileResult>> fs = new ArrayList<>();
        for (String node : s.nodeNames()) {
            fs.add(pool.submit(() -> Compiler.compile(s, p, node, Allocation.EMPTY, CompileOptions.DEFAULT)));
        }
        for (Future<CompileResult> f : fs) f.get();
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
        agentEvents("pod added / removed", node, base, BenchWorkload.withExtraPod(base));
        agentEvents("pod on the node added / removed", node, base, BenchWorkload.withLocalPod(base, node));
        // Unchanged pods stay the same instances from one snapshot to the next, as ClusterWatcher keeps them.
        List<PodInfo> same = base.pods();
        agentEvents(
                "node relabelled / back",
                node,
                base,
                sharing(
                        base,
                        BenchWorkload.cluster(nodes, podsPerNode, anps, 1, 0, INGRESS)
                                .withPods(same)));
        // anp10's CIDRs: n10 runs pods of its subject
        agentEvents(
                "ANP edited / back",
                node,
                base,
                sharing(
                        base,
                        BenchWorkload.cluster(nodes, podsPerNode, anps, 0, 11, INGRESS)
                                .withPods(same)));
    }

    /**
     * {@code b} with every object equal to one of {@code a} replaced by {@code a}'s instance, as
     * ClusterWatcher keeps the objects of unchanged resources from one snapshot to the next (the
     * compile session's memos are keyed by instance; a workload built anew would miss them all).
     */
    private static ClusterSnapshot sharing(ClusterSnapshot a, ClusterSnapshot b) {
        return new ClusterSnapshot(
                same(a.namespaces(), b.namespaces()),
                same(a.pods(), b.pods()),
                same(a.nodes(), b.nodes()),
                same(a.services(), b.services()),
                same(a.endpointSlices(), b.endpointSlices()),
                same(a.adminPolicies(), b.adminPolicies()),
                same(a.networkPolicies(), b.networkPolicies()),
                b.loadDiagnostics());
    }

    private static <T> List<T> same(List<T> a, List<T> b) {
        java.util.Map<T, T> byValue = new java.util.HashMap<>();
        for (T t : a) byValue.putIfAbsent(t, t);
        return b.stream().map(t -> byValue.getOrDefault(t, t)).toList();
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
        CompileSession session = new CompileSession();
        CompileResult r = session.advance(a).compile(node, Allocation.EMPTY, CompileOptions.DEFAULT, memo);
        ClusterSnapshot previousSnapshot = a;
        long[] incremental = new long[AGENT_ROUNDS];
        long[] compileOnly = new long[AGENT_ROUNDS];
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
            // the change the informers report with the snapshot: found outside the timing
            ClusterChange change = ClusterChange.between(previousSnapshot, s);
            previousSnapshot = s;
            long t0 = cpu.getCurrentThreadCpuTime();
            Compilation c = session.advance(s, change); // validation (memoised) and the index
            long t1 = cpu.getCurrentThreadCpuTime();
            r = c.compile(node, previous, CompileOptions.DEFAULT, memo);
            long t2 = cpu.getCurrentThreadCpuTime();
            incremental[i] = t2 - t0;
            compileOnly[i] = t2 - t1;
            reused += memo.reused();
            compiled += memo.compiled();
            restReused += memo.restReused();
            ClusterSnapshot again = copy(s);
            long b0 = cpu.getCurrentThreadCpuTime();
            CompileResult scratch = Compiler.compile(again, p, node, previous, CompileOptions.DEFAULT);
            baseline[i] = cpu.getCurrentThreadCpuTime() - b0;
            if (!scratch.flows().equals(r.flows())) {
                throw new IllegalStateException("incremental and scratch compiles differ for " + node);
            }
        }
        // The first half warms the JIT up.
        long[] inc = java.util.Arrays.copyOfRange(incremental, AGENT_ROUNDS / 2, AGENT_ROUNDS);
        long[] alone = java.util.Arrays.copyOfRange(compileOnly, AGENT_ROUNDS / 2, AGENT_ROUNDS);
        long[] base = java.util.Arrays.copyOfRange(baseline, AGENT_ROUNDS / 2, AGENT_ROUNDS);
        java.util.Arrays.sort(inc);
        java.util.Arrays.sort(alone);
        java.util.Arrays.sort(base);
        System.out.printf(
                "  %s: incremental p50 %.2f ms, p99 %.2f ms (the compile alone p50 %.2f ms; the rest validates"
                        + " and indexes the snapshot); baseline p50 %.2f ms, p99 %.2f ms; ratio of p50s %.2f;"
                        + " rules per event reused %d, compiled %d (of which kept their non-source flows %d)%n",
                what,
                inc[inc.length / 2] / 1e6,
                inc[inc.length * 99 / 100] / 1e6,
                alone[alone.length / 2] / 1e6,
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
            Loop loop,
            Map<String, Allocation> allocations,
            Map<String, CompileResult> results,
            ExecutorService pool)
            throws Exception {
        TIMES.clear();
        ClusterChange change = ClusterChange.between(loop.current.snapshot(), next); // as the informers report it
        long t0 = System.nanoTime();
        DirtyNodes.Changes c = loop.advance(next, change);
        long decided = System.nanoTime();
        Set<String> todo = c.all() ? Set.copyOf(loop.current.nodeNames()) : c.nodes();
        int n = step(loop, allocations, results, pool, todo);
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

    /** Compiles {@code todo} (with their previous allocations) in parallel; records their read sets. */
    private static int step(
            Loop loop,
            Map<String, Allocation> allocations,
            Map<String, CompileResult> results,
            ExecutorService pool,
            Set<String> todo)
            throws Exception {
        Compilation c = loop.current;
        List<Future<CompileResult>> fs = new ArrayList<>();
        for (String node : todo) {
            fs.add(pool.submit(() -> {
                long c0 = System.nanoTime();
                CompileResult r = c.compile(
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
        for (String node : todo) loop.dirty.compiled(node, results.get(node).reads());
        return todo.size();
    }
}
