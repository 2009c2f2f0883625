package io.ovsanp.it.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.run.AgentSwitchSource;
import io.ovsanp.controller.run.Controller;
import io.ovsanp.controller.run.ControllerLoop;
import io.ovsanp.controller.run.LoopOptions;
import io.ovsanp.controller.run.RealisationListener;
import io.ovsanp.controller.switches.ReconcileResult;
import io.ovsanp.devapiserver.DevApiServer;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (nothing about speed is asserted): issue 4's "time from an API change to the
 * bundle's commit on a real switch", end to end and in one run. fabric8's CRUD mock API server is
 * seeded through the real client with {@link KubeWorkload} (by default 1,000 nodes, 20 pods per node,
 * 200 ANPs × 10 rules, the BANP, 1,000 NetworkPolicies); the controller runs in-process in agent
 * mode for node {@code n3} (informers on their own client, {@link ControllerLoop}, {@link
 * AgentSwitchSource}) against a real ovs-vswitchd ({@link PrivateOvs}, br-int). After the full sync,
 * API changes that each change n3's flows are applied one at a time; for each, t0 is taken just
 * before the client's create/edit/delete call and t1 in the loop's {@code converged} callback for n3
 * with flow-mods &gt; 0 (the reply to the bundle commit has arrived). Run with
 *
 * <pre>./mvnw -o -B verify -pl integration-tests -am -Dovsanp.bench=true -Dit.test=ApiLatencyBenchIT \
 *     -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Djacoco.skip -Dspotless.check.skip=true \
 *     [-Dovsanp.bench.nodes=1000 -Dovsanp.bench.podsPerNode=20 -Dovsanp.bench.anps=200 -Dovsanp.bench.changes=100]</pre>
 *
 * (also {@code -Dovsanp.bench.warmup=100}: changes before the measured ones, not counted), or without
 * Maven through {@link #main} ({@code java -Dovsanp.bench.nodes=... -cp <test classpath>
 * io.ovsanp.it.bench.ApiLatencyBenchIT}, writing {@code target/api-latency-bench.md} under the current
 * directory), and read the table it prints (also written to integration-tests/target/api-latency-bench.md). A
 * change that never converges with flow-mods within {@code ovsanp.bench.changeTimeoutSeconds} (30)
 * is reported as a failure in the table, and the benchmark fails after printing it.
 */
class ApiLatencyBenchIT {
    /**
     * Edits are one PATCH request each (what the API server sees as the change), not fabric8's
     * {@code edit}, which reads the object first: a GET is not the change, and on the mock API server
     * every request scans its whole store (tens of ms at this size), which would count twice.
     */
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    static final String NODE = "n3";
    static final int NODE_INDEX = 3;
    static final Duration SYNC_TIMEOUT = Duration.ofMinutes(20);

    /**
     * The mock web server logs every request at INFO through java.util.logging (to stderr): 20,000
     * lines while seeding and one per measured change. Held here: JUL keeps loggers weakly.
     */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    /** What the loop and the informers report, with the time it arrived. */
    record Event(String what, String node, long at, ReconcileResult converged, CompileResult compiled, long took) {}

    static final class Recorder implements RealisationListener {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        volatile int lastFlows = -1;

        @Override
        public void compiled(String node, CompileResult result, Duration took) {
            if (NODE.equals(node)) lastFlows = result.flows().size();
            events.add(new Event("compiled", node, System.nanoTime(), null, result, took.toNanos()));
        }

        @Override
        public void converged(String node, ReconcileResult result, Duration took) {
            events.add(new Event("converged", node, System.nanoTime(), result, null, took.toNanos()));
        }

        @Override
        public void failed(String node, String reason) {
            events.add(new Event("failed: " + reason, node, System.nanoTime(), null, null, 0));
        }

        void informerEvent() {
            events.add(new Event("informer", "", System.nanoTime(), null, null, 0));
        }
    }

    interface ApiCall {
        void run(KubernetesClient client) throws Exception;
    }

    record Change(String kind, String what, ApiCall call) {}

    /** One measured change; {@code failure} non-null when it did not converge with flow-mods. */
    record Sample(
            Change change,
            long totalNanos,
            long apiNanos,
            long watchNanos,
            long compileStartNanos,
            long compileNanos,
            int compiles,
            long reconcileNanos,
            int flowMods,
            String summary,
            FlowDiff diff,
            String failure) {}

    /** The same benchmark without JUnit/Maven (set {@code -Dovsanp.bench=true} and the size properties). */
    public static void main(String[] args) throws Exception {
        System.setProperty("ovsanp.bench", "true");
        new ApiLatencyBenchIT().apiChangeToCommit();
        System.exit(0);
    }

    @Test
    void apiChangeToCommit() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("ovsanp.bench"), "benchmark: run with -Dovsanp.bench=true");
        Needs.ovs();
        int nodes = Integer.getInteger("ovsanp.bench.nodes", 1000);
        int podsPerNode = Integer.getInteger("ovsanp.bench.podsPerNode", 20);
        int anps = Integer.getInteger("ovsanp.bench.anps", 200);
        int changes = Integer.getInteger("ovsanp.bench.changes", 100);
        int warmup = Integer.getInteger("ovsanp.bench.warmup", 100);
        Duration changeTimeout = Duration.ofSeconds(Integer.getInteger("ovsanp.bench.changeTimeoutSeconds", 30));
        if (nodes < 20 || anps < 4 || podsPerNode < 1) {
            throw new IllegalArgumentException("need at least 20 nodes, 4 ANPs and 1 pod per node (ANP anp3 "
                    + "applies on n3; its rules select namespace group g11 and zone z12)");
        }
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        KubeWorkload w = new KubeWorkload(nodes, podsPerNode, anps);
        StringBuilder report = new StringBuilder();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        line(
                report,
                "workload: %,d nodes, %,d pods, %d ANPs x 10 rules, a BANP, %,d NetworkPolicies; node %s; load at start: %s",
                nodes,
                nodes * podsPerNode,
                anps,
                KubeWorkload.NAMESPACES * 10,
                NODE,
                load);

        KubernetesMockServer server = DevApiServer.crudServer();
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient writer = server.createClient()) {
            long s0 = System.nanoTime();
            seed(writer, w, report);
            line(report, "seeded in %.1f s", (System.nanoTime() - s0) / 1e9);
            long heapSeeded = usedHeapMiB();
            line(report, "heap with the mock API server seeded, before the controller starts: %d MiB", heapSeeded);

            try (PrivateOvs ovs = PrivateOvs.start();
                    KubernetesClient controllerClient = server.createClient()) {
                Bridge br = ovs.addBridge("br-int");
                Recorder rec = new Recorder();
                long w0 = System.nanoTime();
                try (ClusterWatcher watcher = ClusterWatcher.start(controllerClient)) {
                    watcher.awaitSynced(SYNC_TIMEOUT);
                    line(report, "informers synced in %.1f s", (System.nanoTime() - w0) / 1e9);
                    LoopOptions options = LoopOptions.DEFAULT
                            // no periodic audit during the measurement (it would add converges)
                            .withAuditInterval(Duration.ofHours(1))
                            .withSwitchTimeout(Duration.ofMinutes(2));
                    watcher.onChange(rec::informerEvent);
                    long l0 = System.nanoTime();
                    try (Controller controller = Controller.start(
                            watcher,
                            new AgentSwitchSource(
                                    NODE, SwitchTarget.parse("unix:" + br.mgmtSocket()), Optional.empty()),
                            options,
                            List.of(rec))) {
                        ControllerLoop loop = controller.loop();
                        initialSync(rec, loop, l0, report);
                        long heapSynced = usedHeapMiB();
                        line(
                                report,
                                "heap after full sync (System.gc, used): %d MiB, of which the controller"
                                        + " (informer caches, loop, compiled flows) ~%d MiB; the rest is the in-process"
                                        + " mock API server's store",
                                heapSynced,
                                heapSynced - heapSeeded);
                        List<Change> all = plan(w, warmup + changes);
                        List<Sample> warmFailures = new ArrayList<>();
                        for (Change c : all.subList(0, warmup)) {
                            Sample s = measure(c, writer, rec, loop, changeTimeout);
                            if (s.failure() != null) warmFailures.add(s);
                            System.out.printf(
                                    "warm-up change %s (%s): %s%n",
                                    c.kind(),
                                    c.what(),
                                    s.failure() != null ? "FAILED: " + s.failure() : ms(s.totalNanos()));
                        }
                        List<Change> plan = all.subList(warmup, all.size());
                        List<Sample> samples = new ArrayList<>();
                        for (Change c : plan) {
                            Sample s = measure(c, writer, rec, loop, changeTimeout);
                            samples.add(s);
                            System.out.printf(
                                    "change %d/%d %s (%s): %s%n",
                                    samples.size(),
                                    plan.size(),
                                    c.kind(),
                                    c.what(),
                                    s.failure() != null
                                            ? "FAILED: " + s.failure()
                                            : String.format(
                                                    "%.1f ms (informer event at %.1f ms), %d flow-mods (%s)",
                                                    s.totalNanos() / 1e6,
                                                    s.watchNanos() / 1e6,
                                                    s.flowMods(),
                                                    s.summary()));
                        }
                        loop.awaitIdle(Duration.ofMinutes(2));
                        line(
                                report,
                                "after the changes the switch holds %,d flows (ovs-ofctl dump-flows); the last compile of %s"
                                        + " had %,d",
                                br.dumpFlows().size(),
                                NODE,
                                rec.lastFlows);
                        passParts(watcher, report);
                        line(
                                report,
                                "load at end: %s",
                                Files.readString(Path.of("/proc/loadavg")).trim());
                        table(samples, warmup, report);
                        String text = report.toString();
                        System.out.println(text);
                        Files.createDirectories(Path.of("target"));
                        Files.writeString(Path.of("target/api-latency-bench.md"), text);
                        List<Sample> failed = new ArrayList<>(warmFailures);
                        samples.stream().filter(s -> s.failure() != null).forEach(failed::add);
                        if (!failed.isEmpty()) {
                            throw new AssertionError(failed.size() + " change(s) never converged with flow-mods: "
                                    + failed.stream()
                                            .map(s -> s.change().what() + ": " + s.failure())
                                            .toList());
                        }
                    }
                }
            }
        } finally {
            DevApiServer.stop(server);
        }
    }

    // ---- seeding ----

    private static void seed(KubernetesClient client, KubeWorkload w, StringBuilder report) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long t = System.nanoTime();
            List<HasMetadata> rest = w.nonPods();
            createAll(pool, client, rest);
            List<GenericKubernetesResource> anps = new ArrayList<>(w.adminPolicies());
            List<Future<?>> fs = new ArrayList<>();
            for (GenericKubernetesResource anp : anps) {
                fs.add(pool.submit(() -> client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                        .resource(anp)
                        .create()));
            }
            fs.add(pool.submit(() -> client.genericKubernetesResources(ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY)
                    .resource(KubeWorkload.banp())
                    .create()));
            for (Future<?> f : fs) f.get();
            line(
                    report,
                    "seeded %,d namespaces/nodes/NetworkPolicies/Service/EndpointSlice and %d admin policies in %.1f s",
                    rest.size(),
                    anps.size() + 1,
                    (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            List<Pod> pods = w.pods();
            createAll(pool, client, pods);
            line(report, "seeded %,d pods in %.1f s (8 client threads)", pods.size(), (System.nanoTime() - t) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void createAll(ExecutorService pool, KubernetesClient client, List<? extends HasMetadata> objects)
            throws Exception {
        // namespaces first, so namespaced objects never precede theirs
        List<Future<?>> fs = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o.getKind().equals("Namespace")) client.resource(o).create();
        }
        for (HasMetadata o : objects) {
            if (!o.getKind().equals("Namespace"))
                fs.add(pool.submit(() -> client.resource(o).create()));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < fs.size(); i++) {
            fs.get(i).get();
            if (i > 0 && i % 2000 == 0) {
                System.out.printf("  %,d of %,d created, %.1f s%n", i, fs.size(), (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    // ---- the controller ----

    private static void initialSync(Recorder rec, ControllerLoop loop, long l0, StringBuilder report) throws Exception {
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        long compileNanos = -1;
        int flows = -1;
        while (true) {
            Event e = rec.events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) throw new AssertionError("the initial sync of " + NODE + " never converged");
            if (!NODE.equals(e.node())) continue;
            if (e.what().equals("compiled")) {
                compileNanos = e.took();
                flows = e.compiled().flows().size();
            } else if (e.what().equals("converged")) {
                line(
                        report,
                        "full sync of %s: %,d flows, converged %.1f s after the loop started (compile %.0f ms; %s)",
                        NODE,
                        flows,
                        (e.at() - l0) / 1e9,
                        compileNanos / 1e6,
                        e.converged().summary());
                break;
            } else if (e.what().startsWith("failed")) {
                throw new AssertionError("the initial sync of " + NODE + " failed: " + e.what());
            }
        }
        if (!loop.awaitIdle(Duration.ofMinutes(5))) throw new AssertionError("the loop never became idle");
        Thread.sleep(500);
        rec.events.clear();
    }

    private static Sample measure(
            Change c, KubernetesClient client, Recorder rec, ControllerLoop loop, Duration timeout) throws Exception {
        if (!loop.awaitIdle(Duration.ofMinutes(2))) throw new AssertionError("the loop is not idle before " + c);
        rec.events.clear();
        long t0 = System.nanoTime();
        c.call().run(client);
        long returned = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long firstInformer = -1;
        long compile = 0;
        long compileStart = -1;
        int compiles = 0;
        int noOps = 0;
        List<String> failures = new ArrayList<>();
        while (true) {
            Event e = rec.events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                String why = String.format(
                        "no converge with flow-mods for %s within %s (informer event seen: %s, compiles: %d,"
                                + " converges without flow-mods: %d%s)",
                        NODE,
                        timeout,
                        firstInformer >= 0,
                        compiles,
                        noOps,
                        failures.isEmpty() ? "" : ", failures: " + failures);
                loop.awaitIdle(Duration.ofMinutes(2));
                return new Sample(c, 0, returned - t0, 0, 0, compile, compiles, 0, 0, "", null, why);
            }
            if (e.what().equals("informer")) {
                if (firstInformer < 0) firstInformer = e.at();
                continue;
            }
            if (!NODE.equals(e.node())) continue;
            if (e.what().equals("compiled")) {
                if (compiles == 0) compileStart = e.at() - e.took() - t0;
                compile += e.took();
                compiles++;
            } else if (e.what().equals("converged")) {
                if (e.converged().flowMods() == 0) {
                    noOps++;
                    continue;
                }
                return new Sample(
                        c,
                        e.at() - t0,
                        returned - t0,
                        firstInformer < 0 ? -1 : firstInformer - t0,
                        compileStart,
                        compile,
                        compiles,
                        e.took(),
                        e.converged().flowMods(),
                        e.converged().diff().summary(),
                        e.converged().diff(),
                        null);
            } else {
                failures.add(e.what());
            }
        }
    }

    /**
     * The parts of the loop's pass that are public API, timed on the final cluster (7 runs, median):
     * they are in every change's "compile started" time.
     */
    private static void passParts(ClusterWatcher watcher, StringBuilder report) {
        List<Long> snap = new ArrayList<>();
        List<Long> validate = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long a = System.nanoTime();
            var snapshot = watcher.snapshot();
            long b = System.nanoTime();
            PolicyValidator.validate(snapshot);
            long c = System.nanoTime();
            snap.add(b - a);
            validate.add(c - b);
        }
        line(
                report,
                "parts of the loop's pass, timed after the changes (7 runs, median): ClusterWatcher.snapshot() %s,"
                        + " PolicyValidator.validate %s",
                ms(pct(snap, 0.5)),
                ms(pct(validate, 0.5)));
    }

    // ---- the changes ----

    /**
     * {@code count} changes, round robin over the kinds; each changes n3's flows. n3's pods are in
     * ns3 (group g3), so anp3 applies on n3: its rule r1 selects pods labelled app=a31 in group g11
     * (ns11), its rule r2 nodes in zone z12, its rule r0 25 networks.
     */
    static List<Change> plan(KubeWorkload w, int count) {
        int ns = NODE_INDEX % KubeWorkload.NAMESPACES;
        // a NetworkPolicy of ns3 whose pod selector picks one of n3's pods
        int npIndex = -1;
        for (int k = 0; k < 10 && npIndex < 0; k++) {
            String app = "a" + ((ns + k * 5) % KubeWorkload.APPS);
            for (int p = 0; p < w.podsPerNode; p++) {
                if (KubeWorkload.app(NODE_INDEX * w.podsPerNode + p).equals(app)) {
                    npIndex = k;
                    break;
                }
            }
        }
        String localApp = KubeWorkload.app(NODE_INDEX * w.podsPerNode);
        List<Change> out = new ArrayList<>();
        int peer = 0;
        int local = 0;
        int relabel = 0;
        int anpEdit = 0;
        int npEdit = 0;
        String[] kinds = {
            "peer pod created", "peer pod deleted", "node relabelled", "node relabelled back",
            "ANP rule networks edited", "NP edited", "pod on n3 created", "pod on n3 deleted"
        };
        for (int i = 0; out.size() < count; i++) {
            String kind = kinds[i % kinds.length];
            switch (kind) {
                case "peer pod created" -> {
                    int n = peer;
                    String name = "bench-peer-" + n;
                    String node = KubeWorkload.nodeName(11 % w.nodes);
                    out.add(new Change(
                            kind,
                            "ns11/" + name + " app=a31 (anp3 rule r1)",
                            c -> c.pods()
                                    .resource(KubeWorkload.pod(
                                            "ns11", name, node, "10.200." + n / 250 + "." + (n % 250 + 1), "a31"))
                                    .create()));
                }
                case "peer pod deleted" -> {
                    String name = "bench-peer-" + peer++;
                    out.add(new Change(
                            kind,
                            "ns11/" + name,
                            c -> c.pods()
                                    .inNamespace("ns11")
                                    .withName(name)
                                    .withGracePeriod(0)
                                    .delete()));
                }
                case "node relabelled", "node relabelled back" -> {
                    // nodes 7, 27, 47, ... (zone z7) move into z12, which anp3's rule r2 selects, and back
                    int target = (7 + 20 * (relabel / 2)) % w.nodes;
                    boolean back = kind.endsWith("back");
                    String zone = back ? KubeWorkload.zone(target) : "z12";
                    relabel++;
                    out.add(new Change(
                            "node relabelled",
                            KubeWorkload.nodeName(target) + " zone=" + zone,
                            c -> c.nodes()
                                    .withName(KubeWorkload.nodeName(target))
                                    .patch(MERGE, "{\"metadata\":{\"labels\":{\"zone\":\"" + zone + "\"}}}")));
                }
                case "ANP rule networks edited" -> {
                    int salt = ++anpEdit;
                    Object spec =
                            KubeWorkload.anp(3, salt).getAdditionalProperties().get("spec");
                    // rule r0's networks replaced (a JSON merge patch would do on a real API server, but the
                    // mock appends lists on merge: anp3 would grow by 10 rules per edit)
                    Object networks = ((Map<?, ?>) ((List<?>) ((Map<?, ?>)
                                                    ((List<?>) ((Map<?, ?>) spec).get("egress")).get(0))
                                            .get("to"))
                                    .get(0))
                            .get("networks");
                    String specPatch = io.fabric8.kubernetes.client.utils.Serialization.asJson(List.of(
                            Map.of("op", "replace", "path", "/spec/egress/0/to/0/networks", "value", networks)));
                    out.add(new Change(
                            kind,
                            "anp3 rule r0: 25 other /24s",
                            c -> c.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                                    .withName("anp3")
                                    .patch(JSON_PATCH, specPatch)));
                }
                case "NP edited" -> {
                    if (npIndex < 0) continue;
                    int k = npIndex;
                    String cidr = "192.168." + (100 + (npEdit++ % 150)) + ".0/24";
                    out.add(new Change(
                            kind,
                            "ns" + ns + "/np" + k + " ipBlock " + cidr,
                            c -> c.network()
                                    .v1()
                                    .networkPolicies()
                                    .inNamespace("ns" + ns)
                                    .withName("np" + k)
                                    .patch(
                                            JSON_PATCH,
                                            "[{\"op\":\"replace\",\"path\":\"/spec/egress/0/to/1/ipBlock/cidr\","
                                                    + "\"value\":\"" + cidr + "\"}]")));
                }
                case "pod on n3 created" -> {
                    int n = local;
                    String name = "bench-local-" + n;
                    out.add(new Change(
                            kind,
                            "ns" + ns + "/" + name + " on " + NODE + " app=" + localApp,
                            c -> c.pods()
                                    .resource(KubeWorkload.pod(
                                            "ns" + ns, name, NODE, "10.201." + n / 250 + "." + (n % 250 + 1), localApp))
                                    .create()));
                }
                case "pod on n3 deleted" -> {
                    String name = "bench-local-" + local++;
                    out.add(new Change(
                            kind,
                            "ns" + ns + "/" + name,
                            c -> c.pods()
                                    .inNamespace("ns" + ns)
                                    .withName(name)
                                    .withGracePeriod(0)
                                    .delete()));
                }
                default -> throw new IllegalStateException(kind);
            }
        }
        return out;
    }

    // ---- the report ----

    private static void table(List<Sample> samples, int warmup, StringBuilder report) {
        Map<String, List<Sample>> byKind = new LinkedHashMap<>();
        for (Sample s : samples)
            byKind.computeIfAbsent(s.change().kind(), k -> new ArrayList<>()).add(s);
        byKind.put("all changes", samples);
        line(report, "");
        line(
                report,
                "| change (API call → converged with flow-mods on %s) | n | failed | p50 | p99 | max "
                        + "| from the informer event: p50 / p99 | flow-mods (median) | API call returned p50 | informer event p50 | compile started p50 | compile p50 / max "
                        + "| bundle (reconcile) p50 |",
                NODE);
        line(report, "|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<Sample>> e : byKind.entrySet()) {
            List<Sample> ok =
                    e.getValue().stream().filter(s -> s.failure() == null).toList();
            int failed = e.getValue().size() - ok.size();
            if (ok.isEmpty()) {
                line(
                        report,
                        "| %s | %d | %d | - | - | - | - | - | - | - | - | - | - |",
                        e.getKey(),
                        e.getValue().size(),
                        failed);
                continue;
            }
            List<Long> total = ok.stream().map(Sample::totalNanos).toList();
            List<Long> compile = ok.stream().map(Sample::compileNanos).toList();
            List<Long> fromEvent = ok.stream()
                    .map(s -> s.watchNanos() < 0 ? -1 : s.totalNanos() - s.watchNanos())
                    .toList();
            line(
                    report,
                    "| %s | %d | %d | %s | %s | %s | %s / %s | %d | %s | %s | %s | %s / %s | %s |",
                    e.getKey(),
                    e.getValue().size(),
                    failed,
                    ms(pct(total, 0.50)),
                    ms(pct(total, 0.99)),
                    ms(pct(total, 1.0)),
                    ms(pct(fromEvent, 0.50)),
                    ms(pct(fromEvent, 0.99)),
                    pct(ok.stream().map(s -> (long) s.flowMods()).toList(), 0.50),
                    ms(pct(ok.stream().map(Sample::apiNanos).toList(), 0.50)),
                    ms(pct(ok.stream().map(Sample::watchNanos).toList(), 0.50)),
                    ms(pct(ok.stream().map(Sample::compileStartNanos).toList(), 0.50)),
                    ms(pct(compile, 0.50)),
                    ms(pct(compile, 1.0)),
                    ms(pct(ok.stream().map(Sample::reconcileNanos).toList(), 0.50)));
        }
        line(report, "");
        line(
                report,
                "(%d warm-up changes before these are not counted. p99 is nearest-rank: with fewer than 100 samples"
                        + " it is the maximum. Times are from t0, just before the client call, except \"from the informer"
                        + " event\" (the controller's part, without the mock API server's write and watch delivery):"
                        + " \"API call returned\": the mock API server answered; \"informer event\": the informers' first notification;"
                        + " \"compile started\": the loop began compiling %s (after the snapshot,"
                        + " validation and the dirty-node decision); \"compile\": its duration (the `compiled`"
                        + " callback); \"bundle\": the reconcile, diff + bundle + commit reply.)",
                warmup,
                NODE);
        line(report, "");
        line(report, "Flow-mods of the first change of each kind (at most 12 lines each):");
        line(report, "");
        for (Map.Entry<String, List<Sample>> e : byKind.entrySet()) {
            if (e.getKey().equals("all changes")) continue;
            e.getValue().stream().filter(s -> s.failure() == null).findFirst().ifPresent(s -> {
                line(report, "    %s (%s): %s", e.getKey(), s.change().what(), s.summary());
                List<String> mods = new ArrayList<>();
                s.diff().deletes().forEach(f -> mods.add("      - " + OfctlRenderer.render(f)));
                s.diff().modifies().forEach(f -> mods.add("      ~ " + OfctlRenderer.render(f)));
                s.diff().adds().forEach(f -> mods.add("      + " + OfctlRenderer.render(f)));
                mods.stream().limit(12).forEach(m -> line(report, "%s", m));
                if (mods.size() > 12) line(report, "      ... %d more", mods.size() - 12);
            });
        }
        for (Sample s : samples) {
            if (s.failure() != null)
                line(
                        report,
                        "FAILED: %s (%s): %s",
                        s.change().kind(),
                        s.change().what(),
                        s.failure());
        }
    }

    private static long pct(List<Long> xs, double p) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        int rank = (int) Math.ceil(p * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format("%.1f ms", nanos / 1e6);
    }

    private static void line(StringBuilder report, String format, Object... args) {
        String l = String.format(format, args);
        System.out.println(l);
        report.append(l).append('\n');
    }

    private static long usedHeapMiB() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return (rt.totalMemory() - rt.freeMemory()) >> 20;
    }
}
