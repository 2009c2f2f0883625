package io.ovsanp.controller.run;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ClusterUpdate;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileSession;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.metrics.MetricsListener;
import io.ovsanp.controller.testing.MockApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Benchmark harness, not a test: the controller loop's per-event pass before any compile, at the
 * issue's scale, against a real informer cache (or, with {@code memory}, in memory). A {@link MockApiServer#crudServer()} is seeded with
 * BenchWorkload's cluster (1,000 nodes, 20,000 pods, 200 ANPs × 10 rules, a BANP, 1,000 NetworkPolicies,
 * as Kubernetes objects); a {@link ClusterWatcher} syncs it; then each API event (a pod relabelled, a
 * pod added, a node relabelled, an ANP edited) is followed by the loop's pass, timed step by step:
 * the watcher's snapshot (with its change), validation (with the index), the listeners' {@code
 * validated} ({@link MetricsListener}; PolicyStatusWriter only stores and queues), the node names
 * (the loop's departed-node check), the dirty decision and, for the baseline, the former NodeInputs
 * of every dirty node. Each event is measured twice on the same cache, in alternating order: the
 * baseline and the current code ({@link Mode}); their dirty sets must be equal. Run with
 *
 * <pre>./mvnw -o -q test-compile -pl ovs-controller -am -Djacoco.skip
 * ./mvnw -o -q dependency:build-classpath -pl ovs-controller -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp
 * java -Xmx3g -cp flow-compiler/target/classes:ovs-controller/target/classes:ovs-controller/target/test-classes:\
 *     $(tr ':' '\n' </tmp/cp | grep -v flow-compiler | paste -sd:) io.ovsanp.controller.run.PassBench 1000 20 200 20</pre>
 *
 * (arguments: nodes, pods per node, ANPs, measured events per kind).
 */
public final class PassBench {
    private PassBench() {}

    private static final String[] STEPS = {"snapshot", "validate", "listeners", "nodeNames", "dirty", "nodeInputs"};

    /**
     * One mode's timings, nanoseconds per step, and the dirty sets it decided. The baseline: the
     * snapshot compared with the previous one by a walk, every policy validated again (a fresh memo),
     * node names counted over every pod, the former dirty decision and NodeInputs ({@link
     * DirtyNodesReference}). The current code: the watcher's change, the loop's {@link CompileSession}
     * (validation memo, index chain, node names), {@link DirtyNodes} on the change and the read sets;
     * a node's read set comes with its compile, so its "nodeInputs" step costs nothing here (the
     * compile that provides it runs outside the timing).
     */
    private static final class Mode {
        final boolean baseline;
        final DirtyNodes fast = new DirtyNodes();
        final DirtyNodesReference reference = new DirtyNodesReference();
        final CompileSession session = new CompileSession();
        final MetricsListener metrics =
                new MetricsListener(new io.prometheus.metrics.model.registry.PrometheusRegistry());
        final Map<String, List<Long>> times = new LinkedHashMap<>();
        final List<Long> inputsPerNode = new ArrayList<>();
        Compilation current;

        Mode(boolean baseline) {
            this.baseline = baseline;
        }

        void clear() {
            times.clear();
            inputsPerNode.clear();
        }

        /** One pass; returns the dirty decision. */
        DirtyNodes.Changes pass(ClusterWatcher w, boolean record) {
            // the baseline must not take the current code's change away: it only reads the snapshot
            return pass(baseline ? () -> new ClusterUpdate(w.snapshot(), ClusterChange.EVERYTHING) : w::update, record);
        }

        /** One pass over a given snapshot (the snapshot step then measures nothing). */
        DirtyNodes.Changes memoryPass(ClusterSnapshot given, boolean record) {
            // the change the informers would have reported with the snapshot, found outside the timing
            ClusterChange change = baseline || current == null
                    ? ClusterChange.EVERYTHING
                    : ClusterChange.between(current.snapshot(), given);
            return pass(() -> new ClusterUpdate(given, change), record);
        }

        private DirtyNodes.Changes pass(java.util.function.Supplier<ClusterUpdate> updates, boolean record) {
            if (record) System.gc(); // neither mode pays for the other's garbage
            long t0 = System.nanoTime();
            ClusterUpdate u = updates.get();
            ClusterSnapshot s = u.snapshot();
            long t1 = System.nanoTime();
            Compilation previous = current;
            EffectivePolicies p;
            if (baseline) {
                p = PolicyValidator.validate(s);
            } else {
                current = session.advance(s, u.change());
                p = current.policies();
            }
            long t2 = System.nanoTime();
            metrics.validated(s, p, u.change());
            long t3 = System.nanoTime();
            Set<String> names = new java.util.HashSet<>(baseline ? s.nodeNames() : current.nodeNames());
            long t4 = System.nanoTime();
            DirtyNodes.Changes c = baseline ? reference.next(s) : fast.next(previous, current, u.change());
            long t5 = System.nanoTime();
            List<Long> perNode = new ArrayList<>();
            List<String> dirty = new ArrayList<>();
            for (String node : names) {
                if (!c.affects(node)) continue;
                dirty.add(node);
                if (baseline) {
                    long n0 = System.nanoTime();
                    reference.compiled(node, DirtyNodesReference.inputs(s, p, node));
                    perNode.add(System.nanoTime() - n0);
                } else {
                    perNode.add(0L);
                }
            }
            long t6 = System.nanoTime();
            if (!baseline) {
                for (String node : dirty) {
                    fast.compiled(
                            node,
                            current.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT)
                                    .reads());
                }
            }
            if (record) {
                long[] at = {t0, t1, t2, t3, t4, t5, t6};
                for (int i = 0; i < STEPS.length; i++) {
                    times.computeIfAbsent(STEPS[i], k -> new ArrayList<>()).add(at[i + 1] - at[i]);
                }
                inputsPerNode.addAll(perNode);
            }
            return c;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("memory")) {
            memory(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int podsPerNode = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int anps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int events = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        KubernetesMockServer server = MockApiServer.crudServer();
        server.init();
        try (KubernetesClient client = server.createClient()) {
            long s0 = System.nanoTime();
            int objects = seed(client, nodes, podsPerNode, anps);
            System.out.printf("seeded %d objects in %.1f s%n", objects, (System.nanoTime() - s0) / 1e9);
            try (ClusterWatcher w = ClusterWatcher.start(client)) {
                long w0 = System.nanoTime();
                w.awaitSynced(Duration.ofMinutes(10));
                System.out.printf("informers synced in %.1f s%n", (System.nanoTime() - w0) / 1e9);
                AtomicLong seen = new AtomicLong();
                w.onChange(seen::incrementAndGet);
                Mode base = new Mode(true);
                Mode fast = new Mode(false);
                ClusterSnapshot first = w.snapshot();
                System.out.printf(
                        "snapshot: %d nodes, %d pods, %d admin policies, %d NetworkPolicies%n",
                        first.nodes().size(),
                        first.pods().size(),
                        first.adminPolicies().size(),
                        first.networkPolicies().size());
                // first pass: every node dirty, every node's inputs recorded
                base.pass(w, false);
                fast.pass(w, false);
                Map<String, Consumer<Integer>> kinds = new LinkedHashMap<>();
                int pods = nodes * podsPerNode;
                kinds.put(
                        "pod relabelled",
                        i -> client.pods()
                                .inNamespace("ns" + ((i * 37 % pods) / podsPerNode % 100))
                                .withName("p" + (i * 37 % pods))
                                .edit(p -> {
                                    p.getMetadata().getLabels().put("app", "a" + (i * 7 % 50));
                                    return p;
                                }));
                kinds.put(
                        "pod added",
                        i -> client.resource(podJson(
                                        "ns" + (i % 100),
                                        "extra-" + i,
                                        "n" + (i * 13 % nodes),
                                        1_000_000 + i,
                                        "a" + (i % 50)))
                                .create());
                kinds.put(
                        "node relabelled",
                        i -> client.nodes().withName("n" + (i * 17 % nodes)).edit(n -> {
                            n.getMetadata().getLabels().put("zone", "z" + (i % 20));
                            return n;
                        }));
                kinds.put(
                        "ANP edited",
                        i -> client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                                .withName("anp" + (i % anps))
                                .edit(r -> {
                                    @SuppressWarnings("unchecked")
                                    Map<String, Object> spec = (Map<String, Object>)
                                            r.getAdditionalProperties().get("spec");
                                    spec.put("priority", 1000 - (i % anps));
                                    return r;
                                }));
                System.out.printf(
                        "load before: %s%n",
                        java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                                .trim());
                int warmup = 5;
                int i = 0;
                for (var kind : kinds.entrySet()) {
                    base.clear();
                    fast.clear();
                    List<Integer> dirtied = new ArrayList<>();
                    for (int e = 0; e < warmup + events; e++, i++) {
                        long before = seen.get();
                        kind.getValue().accept(i);
                        long deadline = System.nanoTime() + 10_000_000_000L;
                        while (seen.get() == before && System.nanoTime() < deadline) Thread.sleep(1);
                        Thread.sleep(20); // let the event's follow-ups land
                        boolean record = e >= warmup;
                        DirtyNodes.Changes a;
                        DirtyNodes.Changes b;
                        if (e % 2 == 0) {
                            a = base.pass(w, record);
                            b = fast.pass(w, record);
                        } else {
                            b = fast.pass(w, record);
                            a = base.pass(w, record);
                        }
                        if (!a.equals(b)) {
                            throw new AssertionError(kind.getKey() + ": baseline dirtied " + a + ", current " + b);
                        }
                        if (record) dirtied.add(a.all() ? nodes : a.nodes().size());
                    }
                    report(kind.getKey(), dirtied, base, fast);
                }
                System.out.printf(
                        "load after: %s%n",
                        java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                                .trim());
            }
        } finally {
            MockApiServer.stop(server);
        }
    }

    /**
     * The steps after the snapshot (validation, listeners, node names, dirty decision, NodeInputs)
     * on BenchWorkload's in-memory cluster at full scale, without an API server: the baseline gets every
     * event's snapshot as all-new records (as the former ClusterWatcher converted every object), the
     * current code a snapshot that shares the unchanged records and lists with the previous one (as
     * ClusterWatcher now does). Arguments: {@code memory nodes podsPerNode anps events}.
     */
    private static void memory(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int podsPerNode = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int anps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int events = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        ClusterSnapshot start = BenchWorkload.cluster(nodes, podsPerNode, anps, 0, 0);
        System.out.printf(
                "cluster (in memory): %d nodes, %d pods, %d admin policies, %d NetworkPolicies%n",
                start.nodes().size(),
                start.pods().size(),
                start.adminPolicies().size(),
                start.networkPolicies().size());
        Mode base = new Mode(true);
        Mode fast = new Mode(false);
        ClusterSnapshot[] current = {start};
        base.memoryPass(fresh(start), false);
        fast.memoryPass(start, false);
        Map<String, java.util.function.BiFunction<ClusterSnapshot, Integer, ClusterSnapshot>> kinds =
                new LinkedHashMap<>();
        int pods = nodes * podsPerNode;
        kinds.put("pod relabelled", (s, i) -> {
            List<io.ovsanp.compiler.cluster.PodInfo> ps = new ArrayList<>(s.pods());
            int at = i * 37 % ps.size();
            var p = ps.get(at);
            ps.set(
                    at,
                    new io.ovsanp.compiler.cluster.PodInfo(
                            p.namespace(),
                            p.name(),
                            p.nodeName(),
                            p.hostNetwork(),
                            p.ips(),
                            Map.of("app", "a" + (i * 7 % 50)),
                            p.ports()));
            return s.withPods(ps);
        });
        kinds.put("pod added", (s, i) -> {
            List<io.ovsanp.compiler.cluster.PodInfo> ps = new ArrayList<>(s.pods());
            int x = pods + 1_000 + i;
            ps.add(new io.ovsanp.compiler.cluster.PodInfo(
                    "ns" + (i % 100),
                    "extra-" + i,
                    "n" + (i * 13 % nodes),
                    false,
                    List.of(io.ovsanp.compiler.net.IpAddress.parse(
                            "10." + (x >> 16 & 0xff) + "." + (x >> 8 & 0xff) + "." + (x & 0xff))),
                    Map.of("app", "a" + (i % 50)),
                    List.of()));
            return s.withPods(ps);
        });
        kinds.put("node relabelled", (s, i) -> {
            List<io.ovsanp.compiler.cluster.NodeInfo> ns = new ArrayList<>(s.nodes());
            int at = i * 17 % ns.size();
            var n = ns.get(at);
            Map<String, String> labels = new java.util.HashMap<>(n.labels());
            labels.put("zone", "z" + (i % 20));
            ns.set(at, new io.ovsanp.compiler.cluster.NodeInfo(n.name(), labels, n.addresses()));
            return new ClusterSnapshot(
                    s.namespaces(),
                    s.pods(),
                    ns,
                    s.services(),
                    s.endpointSlices(),
                    s.adminPolicies(),
                    s.networkPolicies(),
                    s.loadDiagnostics());
        });
        kinds.put("ANP edited", (s, i) -> {
            List<io.ovsanp.compiler.policy.AdminPolicy> ps = new ArrayList<>(s.adminPolicies());
            int at = i % anps;
            var p = ps.get(at);
            ps.set(
                    at,
                    new io.ovsanp.compiler.policy.AdminPolicy(
                            p.ref(), p.tier(), 1000 - at, p.subject(), p.egress(), p.ingress(), p.readProblems()));
            return new ClusterSnapshot(
                    s.namespaces(),
                    s.pods(),
                    s.nodes(),
                    s.services(),
                    s.endpointSlices(),
                    ps,
                    s.networkPolicies(),
                    s.loadDiagnostics());
        });
        System.out.printf("load before: %s%n", loadavg());
        int warmup = 5;
        int i = 0;
        for (var kind : kinds.entrySet()) {
            base.clear();
            fast.clear();
            List<Integer> dirtied = new ArrayList<>();
            for (int e = 0; e < warmup + events; e++, i++) {
                ClusterSnapshot next = kind.getValue().apply(current[0], i);
                ClusterSnapshot renewed = fresh(next);
                boolean record = e >= warmup;
                DirtyNodes.Changes a;
                DirtyNodes.Changes b;
                if (e % 2 == 0) {
                    a = base.memoryPass(renewed, record);
                    b = fast.memoryPass(next, record);
                } else {
                    b = fast.memoryPass(next, record);
                    a = base.memoryPass(renewed, record);
                }
                if (!a.equals(b)) {
                    throw new AssertionError(kind.getKey() + ": baseline dirtied " + a + ", current " + b);
                }
                if (record) dirtied.add(a.all() ? nodes : a.nodes().size());
                current[0] = next;
            }
            report(kind.getKey(), dirtied, base, fast);
        }
        System.out.printf("load after: %s%n", loadavg());
    }

    private static String loadavg() throws java.io.IOException {
        return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                .trim();
    }

    /** {@code s} as all-new records and lists (what converting every informer object gave). */
    private static ClusterSnapshot fresh(ClusterSnapshot s) {
        return new ClusterSnapshot(
                s.namespaces().stream()
                        .map(n -> new io.ovsanp.compiler.cluster.NamespaceInfo(
                                n.name(), new java.util.HashMap<>(n.labels())))
                        .toList(),
                s.pods().stream()
                        .map(p -> new io.ovsanp.compiler.cluster.PodInfo(
                                new String(p.namespace()),
                                new String(p.name()),
                                new String(p.nodeName()),
                                p.hostNetwork(),
                                new ArrayList<>(p.ips()),
                                new java.util.HashMap<>(p.labels()),
                                new ArrayList<>(p.ports())))
                        .toList(),
                s.nodes().stream()
                        .map(n -> new io.ovsanp.compiler.cluster.NodeInfo(
                                n.name(), new java.util.HashMap<>(n.labels()), new ArrayList<>(n.addresses())))
                        .toList(),
                new ArrayList<>(s.services()),
                new ArrayList<>(s.endpointSlices()),
                s.adminPolicies().stream()
                        .map(p -> new io.ovsanp.compiler.policy.AdminPolicy(
                                p.ref(),
                                p.tier(),
                                p.priority(),
                                p.subject(),
                                p.egress().stream()
                                        .map(r -> new io.ovsanp.compiler.policy.Rule(
                                                r.index(), r.name(), r.action(), r.peers(), r.ports()))
                                        .toList(),
                                p.ingress().stream()
                                        .map(r -> new io.ovsanp.compiler.policy.Rule(
                                                r.index(), r.name(), r.action(), r.peers(), r.ports()))
                                        .toList(),
                                p.readProblems()))
                        .toList(),
                s.networkPolicies().stream()
                        .map(np -> new io.ovsanp.compiler.policy.NetworkPolicy(
                                np.ref(),
                                np.podSelector(),
                                np.isolatesEgress(),
                                np.egress(),
                                np.isolatesIngress(),
                                np.ingress(),
                                np.readProblems()))
                        .toList(),
                s.loadDiagnostics());
    }

    private static void report(String kind, List<Integer> dirtied, Mode base, Mode fast) {
        Collections.sort(dirtied);
        System.out.printf(
                "%n%s (%d events, %d-%d nodes dirty): median / max ms, baseline -> current (ratio of medians)%n",
                kind, dirtied.size(), dirtied.get(0), dirtied.get(dirtied.size() - 1));
        long baseTotal = 0;
        long fastTotal = 0;
        for (String step : STEPS) {
            List<Long> b = base.times.get(step);
            List<Long> f = fast.times.get(step);
            System.out.printf(
                    "  %-11s %8.2f / %8.2f  ->  %7.2f / %7.2f   (%.3f)%n",
                    step, median(b), max(b), median(f), max(f), median(f) / Math.max(1e-9, median(b)));
        }
        List<Long> bt = totals(base);
        List<Long> ft = totals(fast);
        for (long x : bt) baseTotal += x;
        for (long x : ft) fastTotal += x;
        System.out.printf(
                "  %-11s %8.2f / %8.2f  ->  %7.2f / %7.2f   (%.3f); mean %.2f -> %.2f%n",
                "pass",
                median(bt),
                max(bt),
                median(ft),
                max(ft),
                median(ft) / Math.max(1e-9, median(bt)),
                baseTotal / 1e6 / bt.size(),
                fastTotal / 1e6 / ft.size());
        System.out.printf(
                "  NodeInputs per dirty node: median %.3f ms -> %.3f ms (now a by-product of the compile)%n",
                median(base.inputsPerNode), median(fast.inputsPerNode));
    }

    private static List<Long> totals(Mode m) {
        int n = m.times.get(STEPS[0]).size();
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = 0;
            for (String step : STEPS) t += m.times.get(step).get(i);
            out.add(t);
        }
        return out;
    }

    private static double median(List<Long> xs) {
        if (xs.isEmpty()) return 0;
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2) / 1e6;
    }

    private static double max(List<Long> xs) {
        return xs.isEmpty() ? 0 : Collections.max(xs) / 1e6;
    }

    // ---- the cluster as API objects (BenchWorkload's) ----

    private static int seed(KubernetesClient client, int nodes, int podsPerNode, int anps) throws Exception {
        List<Runnable> creates = new ArrayList<>();
        for (int j = 0; j < 100; j++) {
            String json = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns" + j
                    + "\",\"labels\":{\"group\":\"g" + (j % 20) + "\"}}}";
            creates.add(() -> client.resource(json).create());
        }
        for (int i = 0; i < nodes; i++) {
            String json = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n" + i
                    + "\",\"labels\":{\"zone\":\"z" + (i % 20) + "\",\"kubernetes.io/hostname\":\"n" + i
                    + "\"}},\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"172.16." + (i / 250)
                    + "." + (i % 250 + 1) + "\"}]}}";
            creates.add(() -> client.resource(json).create());
        }
        for (int i = 0; i < nodes; i++) {
            for (int k = 0; k < podsPerNode; k++) {
                int x = i * podsPerNode + k;
                String json = podJson("ns" + (i % 100), "p" + x, "n" + i, x, "a" + (x % 50));
                creates.add(() -> client.resource(json).create());
            }
        }
        for (int a = 0; a < anps; a++) {
            String json = anpJson(a);
            creates.add(() -> client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                    .resource(client.getKubernetesSerialization().unmarshal(json, GenericKubernetesResource.class))
                    .create());
        }
        String banp = "{\"apiVersion\":\"policy.networking.k8s.io/v1alpha1\",\"kind\":\"BaselineAdminNetworkPolicy\","
                + "\"metadata\":{\"name\":\"default\"},\"spec\":{\"subject\":{\"namespaces\":{}},\"egress\":["
                + "{\"name\":\"dns\",\"action\":\"Allow\",\"to\":[{\"networks\":[\"10.96.0.10/32\"]}],"
                + "\"ports\":[{\"portNumber\":{\"protocol\":\"UDP\",\"port\":53}}]},"
                + "{\"name\":\"pods\",\"action\":\"Allow\",\"to\":[{\"networks\":[\"10.0.0.0/8\"]}]},"
                + "{\"name\":\"rest\",\"action\":\"Deny\",\"to\":[{\"networks\":[\"0.0.0.0/0\"]}]}]}}";
        creates.add(() -> client.genericKubernetesResources(ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY)
                .resource(client.getKubernetesSerialization().unmarshal(banp, GenericKubernetesResource.class))
                .create());
        for (int j = 0; j < 100; j++) {
            for (int k = 0; k < 10; k++) {
                String json = "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":"
                        + "{\"name\":\"np" + k + "\",\"namespace\":\"ns" + j + "\"},\"spec\":{\"podSelector\":"
                        + "{\"matchLabels\":{\"app\":\"a" + ((j + k * 5) % 50) + "\"}},\"policyTypes\":[\"Egress\"],"
                        + "\"egress\":[{\"to\":[{\"namespaceSelector\":{\"matchLabels\":{\"group\":\"g" + (j % 20)
                        + "\"}}},{\"ipBlock\":{\"cidr\":\"192.168." + k + ".0/24\"}}],"
                        + "\"ports\":[{\"protocol\":\"TCP\",\"port\":8080}]}]}}";
                creates.add(() -> client.resource(json).create());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (Runnable r : creates) fs.add(pool.submit(r));
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        return creates.size();
    }

    private static String podJson(String ns, String name, String node, int x, String app) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
                + "\",\"labels\":{\"app\":\"" + app + "\"}},\"spec\":{\"nodeName\":\"" + node
                + "\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},\"status\":{\"phase\":\"Running\","
                + "\"podIPs\":[{\"ip\":\"10." + (x >> 16 & 0xff) + "." + (x >> 8 & 0xff) + "." + (x & 0xff) + "\"}]}}";
    }

    private static String anpJson(int a) {
        StringBuilder rules = new StringBuilder();
        for (int r = 0; r < 10; r++) {
            int id = a * 10 + r;
            String to;
            String ports;
            if (r % 3 == 0) {
                List<String> cidrs = new ArrayList<>();
                for (int c = 0; c < 25; c++) {
                    int y = id * 25 + c;
                    cidrs.add("\"" + (100 + (y >> 16) % 100) + "." + ((y >> 8) & 0xff) + "." + (y & 0xff) + ".0/24\"");
                }
                to = "{\"networks\":[" + String.join(",", cidrs) + "]}";
                ports = "[{\"portNumber\":{\"protocol\":\"TCP\",\"port\":443}},"
                        + "{\"portNumber\":{\"protocol\":\"TCP\",\"port\":80}},"
                        + "{\"portNumber\":{\"protocol\":\"TCP\",\"port\":8443}}]";
            } else if (r % 3 == 1) {
                to = "{\"pods\":{\"namespaceSelector\":{\"matchLabels\":{\"group\":\"g" + (id % 20)
                        + "\"}},\"podSelector\":{\"matchLabels\":{\"app\":\"a" + (id % 50) + "\"}}}}";
                ports = "[{\"portNumber\":{\"protocol\":\"TCP\",\"port\":5432}}]";
            } else {
                to = "{\"nodes\":{\"matchLabels\":{\"zone\":\"z" + (id % 20) + "\"}}}";
                ports = "[{\"portNumber\":{\"protocol\":\"TCP\",\"port\":10250}},"
                        + "{\"portNumber\":{\"protocol\":\"TCP\",\"port\":22}}]";
            }
            if (r > 0) rules.append(',');
            rules.append("{\"name\":\"r")
                    .append(r)
                    .append("\",\"action\":\"")
                    .append(r % 2 == 0 ? "Deny" : "Allow")
                    .append("\",\"to\":[")
                    .append(to)
                    .append("],\"ports\":")
                    .append(ports)
                    .append('}');
        }
        return "{\"apiVersion\":\"policy.networking.k8s.io/v1alpha1\",\"kind\":\"AdminNetworkPolicy\","
                + "\"metadata\":{\"name\":\"anp" + a + "\"},\"spec\":{\"priority\":" + (a % 1000)
                + ",\"subject\":{\"namespaces\":{\"matchLabels\":{\"group\":\"g" + (a % 20) + "\"}}},\"egress\":["
                + rules + "]}}";
    }
}
