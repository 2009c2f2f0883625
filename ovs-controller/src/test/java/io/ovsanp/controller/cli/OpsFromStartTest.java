package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.controller.metrics.Families;
import io.ovsanp.controller.testing.MockApiServer;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ovs-anp run} in-process (as the kubelet's probes see it) while its first sync is pending: the
 * API server's port first refuses connections, then a CRUD mock API server starts on it. The ops
 * server answers from the start: {@code /healthz} 200, so that a slow first sync does not get the pod
 * restarted by its liveness probe; {@code /readyz} 503 naming each check that does not pass yet;
 * {@code /metrics} with ovs-anp's, the JVM's and the process's families. Once the view has synced,
 * readiness follows it, and with a real switch turns 200.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OpsFromStartTest {
    /** The cluster of an example (core kinds only: no policy is needed to sync and converge). */
    private static final Path CLUSTER = CliRun.repo().resolve("examples/node-ports-blocked/cluster.yaml");

    private static final Duration WAIT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** {@code run} in a thread of its own; {@link #close} interrupts it as its SIGTERM hook does. */
    private final class Run implements AutoCloseable {
        final int ops = freePort();
        final StringWriter out = new StringWriter();
        final AtomicInteger exit = new AtomicInteger(-1);
        final Thread thread;

        Run(String... args) throws IOException {
            List<String> all = new ArrayList<>(List.of("run"));
            all.addAll(List.of(args));
            all.addAll(List.of("--metrics-address", "127.0.0.1:" + ops));
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(out, true));
            thread = new Thread(() -> exit.set(cl.execute(all.toArray(String[]::new))), "ops-from-start-run");
            thread.start();
        }

        /** Status and body of GET {@code path}; status 0 while nothing answers. */
        HttpResponse<String> get(String path) throws InterruptedException {
            try {
                return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return null;
            }
        }

        /** Polls {@code path} until its answer satisfies {@code ok}; fails after {@link #WAIT}. */
        HttpResponse<String> await(String path, Predicate<HttpResponse<String>> ok, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            HttpResponse<String> r = get(path);
            while (r == null || !ok.test(r)) {
                assertThat(thread.isAlive())
                        .as("run exited %d before %s:%n%s", exit.get(), what, out)
                        .isTrue();
                assertThat(System.nanoTime() - deadline)
                        .as("%s: last answer %s%n%s", what, r == null ? "none" : r.body(), out)
                        .isNegative();
                Thread.sleep(50);
                r = get(path);
            }
            return r;
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive())
                    .as("run stops when interrupted%n%s", out)
                    .isFalse();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String baseline() throws IOException {
        try (InputStream in = OpsFromStartTest.class.getResourceAsStream("/metrics/families-0.1.0.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Starts the agent against an API port that refuses connections; checks what is served meanwhile. */
    private Run pendingAgent(int api, Path socket) throws Exception {
        Run run = new Run("--node", "worker-1", "--switch", "unix:" + socket, "--server", "http://127.0.0.1:" + api);
        HttpResponse<String> live = run.await("/healthz", r -> true, "the ops server answering");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);

        HttpResponse<String> ready = run.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body())
                .contains("[-]informers-synced\n", "[-]cluster-view-fresh\n", "[-]switch\n")
                .endsWith("readyz check failed\n");
        assertThat(run.out.toString()).as("no sync yet").doesNotContain("ovs-anp run: node=");

        HttpResponse<String> metrics = run.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Families served = Families.of(metrics.body());
        // nothing has been realised yet: the families without labels are there (0 or empty
        // histograms); one with labels appears with its first series (the client writes no family
        // without samples; 0.1.0 wrote their HELP and TYPE alone, which Prometheus stores no series of)
        assertThat(served.startingWith("ovsanp_").of010().text())
                .isEqualTo(baseline()
                        .lines()
                        .filter(l -> l.split("\\|", -1)[2].isEmpty())
                        .map(l -> l + "\n")
                        .collect(java.util.stream.Collectors.joining()));
        assertThat(served.families())
                .containsKeys(
                        "jvm_memory_used_bytes",
                        "jvm_threads_current",
                        "jvm_gc_collection_seconds",
                        "jvm_runtime_info",
                        "process_cpu_seconds_total",
                        "process_start_time_seconds",
                        "process_resident_memory_bytes",
                        "process_open_fds");
        return run;
    }

    /** A CRUD mock API server on {@code port} holding {@link #CLUSTER}'s objects. */
    private static KubernetesMockServer seededServer(int port) throws Exception {
        KubernetesMockServer server = MockApiServer.crudServer();
        server.init(java.net.InetAddress.getLoopbackAddress(), port);
        try (KubernetesClient client = server.createClient();
                java.io.InputStream in = java.nio.file.Files.newInputStream(CLUSTER)) {
            client.load(in).create();
        }
        return server;
    }

    @Test
    void healthzAnswersFromTheStartAndReadyzNamesWhatIsNotReadyUntilTheViewHasSynced() throws Exception {
        int api = freePort();
        try (Run run = pendingAgent(api, dir.resolve("br-int.mgmt"))) { // no switch listens there
            KubernetesMockServer server = seededServer(api);
            try {
                HttpResponse<String> ready = run.await(
                        "/readyz",
                        r -> r.body().contains("[+]informers-synced\n")
                                && r.body().contains("[+]cluster-view-fresh\n"),
                        "the view synced and fresh");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("[-]switch\n").endsWith("readyz check failed\n");
                assertThat(run.get("/healthz").statusCode()).isEqualTo(200);
            } finally {
                MockApiServer.stop(server);
            }
        }
    }

    @Test
    void readyzTurns200OnceTheViewHasSyncedAndTheSwitchConverged() throws Exception {
        Needs.ovs();
        int api = freePort();
        try (PrivateOvs ovs = PrivateOvs.start();
                Run run = pendingAgent(api, ovs.addBridge("br-int").mgmtSocket())) {
            KubernetesMockServer server = seededServer(api);
            try {
                HttpResponse<String> ready = run.await("/readyz", r -> r.statusCode() == 200, "ready");
                assertThat(ready.body()).contains("[+]informers-synced\n", "[+]cluster-view-fresh\n", "[+]switch\n");
                assertThat(Families.of(run.get("/metrics").body()).families())
                        .containsKey("ovsanp_last_convergence_timestamp_seconds");
            } finally {
                MockApiServer.stop(server);
            }
        }
    }

    /** Without the audit log {@link #pendingAgent} finds no audit family; with it, its three counters. */
    @Test
    void theAuditLogsCountersAreServedWhenItIsOn() throws Exception {
        try (Run run = new Run(
                "--node",
                "worker-1",
                "--switch",
                "unix:" + dir.resolve("br-int.mgmt"),
                "--server",
                "http://127.0.0.1:" + freePort(),
                "--audit-log",
                dir.resolve("audit.log").toString())) {
            HttpResponse<String> metrics = run.await("/metrics", r -> r.statusCode() == 200, "/metrics");
            assertThat(Families.of(metrics.body()).startingWith("ovsanp_audit_").text())
                    .isEqualTo("ovsanp_audit_dropped_total|counter||"
                            + "Audit copies lost in ovs-anp: the queue was full (the writer fell behind) or the file"
                            + " could not take the line.\n"
                            + "ovsanp_audit_lines_total|counter||Audit log lines written.\n"
                            + "ovsanp_audit_skipped_total|counter||"
                            + "Audit copies that made no line: their rule, switch or connection could not be named.\n");
            assertThat(metrics.body().lines())
                    .contains(
                            "ovsanp_audit_lines_total 0.0",
                            "ovsanp_audit_dropped_total 0.0",
                            "ovsanp_audit_skipped_total 0.0");
        }
    }

    @Test
    void anOpsAddressInUseIsBadInputBeforeTheApiServerIsAsked() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            CliRun r = CliRun.of(
                    "run",
                    "--node",
                    "worker-1",
                    "--switch",
                    "unix:" + dir.resolve("br-int.mgmt"),
                    "--server",
                    "http://127.0.0.1:" + freePort(),
                    "--metrics-address",
                    "127.0.0.1:" + taken.getLocalPort());
            assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(r.err()).contains("--metrics-address: cannot serve");
        }
    }
}
