package io.ovsanp.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.devapiserver.DevApiServer;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/ovs-anp run} as a process, against {@code dev-apiserver}'s mock API (in-process here)
 * and a real ovs-vswitchd: it converges the node's switch, follows a policy change, reports losing
 * and regaining the API server, fails readiness and liveness as the README says, and stops within
 * its 5 s bound on SIGTERM, also when the API server is gone.
 */
class RunCliIT {
    /** README: SIGTERM stops `run` within 5 s, whether the API server answers or not. */
    private static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(5);

    private static final String LOST = "lost the Kubernetes API server";
    private static final String REGAINED = "regained the Kubernetes API server after";

    private static final Path REPO = ControllerLoopIT.repo();
    private static final Path EXAMPLE = REPO.resolve("examples/node-ports-blocked");
    private static final List<Path> SEEDS = List.of(EXAMPLE.resolve("cluster.yaml"), EXAMPLE.resolve("policy.yaml"));

    /** The mock API server, which a test may stop and start again (seeded afresh) on the same port. */
    private static final class Api implements AutoCloseable {
        private KubernetesMockServer server;
        private final int port;

        Api() throws java.io.IOException, io.ovsanp.controller.snapshot.SnapshotLoadException {
            server = DevApiServer.start(0, SEEDS);
            port = server.getPort();
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        KubernetesClient client() {
            return server.createClient();
        }

        void stop() {
            if (server != null) {
                DevApiServer.stop(server);
                server = null;
            }
        }

        void startAgain() throws java.io.IOException, io.ovsanp.controller.snapshot.SnapshotLoadException {
            server = DevApiServer.start(port, SEEDS);
        }

        @Override
        public void close() {
            stop();
        }
    }

    /** {@code run} in agent mode for worker-1 on {@code socket}, against {@code api}, with {@code more} flags. */
    private static OvsAnpProcess agent(Api api, Path socket, String... more) throws java.io.IOException {
        List<String> args = new java.util.ArrayList<>(
                List.of("--node", "worker-1", "--switch", "unix:" + socket, "--server", api.url()));
        args.addAll(List.of(more));
        return OvsAnpProcess.start(REPO, "run", args.toArray(String[]::new));
    }

    /** SIGTERM: the process must exit within {@link #SHUTDOWN_BOUND} and say "stopped". */
    private static void assertStopsWithinTheBound(OvsAnpProcess run, String who) throws InterruptedException {
        Duration took = run.terminate(SHUTDOWN_BOUND);
        assertThat(took)
                .as("%s: SIGTERM to exit within %s%n%s", who, SHUTDOWN_BOUND, run.output())
                .isNotNull();
        assertThat(run.output()).contains("stopped");
        System.out.println("[run] " + who + " stopped " + took.toMillis() + " ms after SIGTERM");
    }

    private static int expectedFlows() throws Exception {
        return Compiler.compile(SnapshotLoader.load(List.of(EXAMPLE)), "worker-1", Allocation.EMPTY)
                .flows()
                .size();
    }

    @Test
    void runConvergesFollowsAChangeAndStopsOnSigterm() throws Exception {
        Needs.ovs();
        int expected = expectedFlows();
        try (Api api = new Api();
                PrivateOvs ovs = PrivateOvs.start();
                KubernetesClient client = api.client()) {
            Bridge bridge = ovs.addBridge("br-int");
            try (OvsAnpProcess run = agent(api, bridge.mgmtSocket())) {
                run.waitFor(() -> bridge.dumpFlows().size() == expected, "the flows");
                assertThat(bridge.dumpFlows()).anyMatch(f -> f.contains("tp_dst=10250"));
                client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                        .withName("protect-nodes")
                        .delete();
                run.waitFor(() -> bridge.dumpFlows().stream().noneMatch(f -> f.contains("tp_dst=10250")), "the change");
                assertThat(run.terminate(Duration.ofSeconds(60)))
                        .as("exits on SIGTERM%n%s", run.output())
                        .isNotNull();
                assertThat(run.output())
                        .contains("ovs-anp run: node=worker-1")
                        .contains("node=worker-1 dpid=")
                        .contains("stopping")
                        .contains("stopped");
            }
        }
    }

    /**
     * Agent mode's status: the only agent wins the Lease ovs-anp-agent-status and writes Ready
     * (RulesValid, what needs no switch); when its switch refuses the flows (table 3 too small) it
     * tells every policy of its node with a RealisationFailed Event naming the node, and a Realised
     * Event once the limit is gone and the node converges; its log says all of it at INFO.
     */
    @Test
    void anAgentWritesReadyAndTellsItsNodesFailureAsEvents() throws Exception {
        Needs.ovs();
        try (Api api = new Api();
                PrivateOvs ovs = PrivateOvs.start();
                KubernetesClient client = api.client()) {
            Bridge bridge = ovs.addBridge("br-int");
            ovs.limitTableFlows("br-int", 3, 1);
            try (OvsAnpProcess run =
                    agent(api, bridge.mgmtSocket(), "--lease-namespace", "default", "--audit-interval", "5s")) {
                run.waitFor(() -> ready(client, "protect-nodes") != null, "the Ready condition");
                @SuppressWarnings("unchecked")
                java.util.Map<String, Object> ready = ready(client, "protect-nodes");
                assertThat(ready).containsEntry("status", "True").containsEntry("reason", "RulesValid");
                run.waitFor(() -> !events(client, "RealisationFailed").isEmpty(), "a RealisationFailed event");
                io.fabric8.kubernetes.api.model.Event failed =
                        events(client, "RealisationFailed").get(0);
                assertThat(failed.getInvolvedObject().getName()).isEqualTo("protect-nodes");
                assertThat(failed.getSource().getHost()).isEqualTo("worker-1");
                assertThat(failed.getMessage()).startsWith("node worker-1: ").contains("rejected bundle");
                assertThat(events(client, "RealisationFailed")).hasSize(1); // one per episode, not per retry
                assertThat(client.leases()
                                .inNamespace("default")
                                .withName("ovs-anp-agent-status")
                                .get()
                                .getSpec()
                                .getHolderIdentity())
                        .isEqualTo("worker-1");

                ovs.vsctl("clear", "Bridge", "br-int", "flow_tables");
                run.waitFor(() -> !events(client, "Realised").isEmpty(), "a Realised event after the retry");
                assertThat(bridge.dumpFlows()).anyMatch(f -> f.contains("tp_dst=10250"));
                assertThat(run.output())
                        .contains("leader of default/ovs-anp-agent-status: worker-1")
                        .contains("switch connected")
                        .contains("AdminNetworkPolicy/protect-nodes Ready=True RulesValid")
                        .contains("RealisationFailed AdminNetworkPolicy/protect-nodes node worker-1");
                assertStopsWithinTheBound(run, "agent");
            }
        }
    }

    /**
     * The ops endpoints answer from process start (README, "Metrics and health"): while the API
     * server's port refuses connections the agent is live, not ready (each check named) and serves its
     * metrics with the JVM's and the process's; once the server answers and the switch converged, it
     * is ready. Before, they came up only after the first sync, and a liveness probe restarted the
     * pod of a slow sync.
     */
    @Test
    void agentIsLiveFromProcessStartAndReadyOnceSyncedAndConverged() throws Exception {
        Needs.ovs();
        int expected = expectedFlows();
        try (Api api = new Api();
                PrivateOvs ovs = PrivateOvs.start()) {
            api.stop(); // its port refuses connections until it starts again
            Bridge bridge = ovs.addBridge("br-int");
            try (OvsAnpProcess run = agent(api, bridge.mgmtSocket(), "--metrics-address", "127.0.0.1:0")) {
                run.waitFor(() -> run.get("/healthz").status() == 200, "live before the first sync");
                OvsAnpProcess.Answer ready = run.get("/readyz");
                assertThat(ready.status()).as(ready.body()).isEqualTo(503);
                assertThat(ready.body())
                        .contains("[-]informers-synced", "[-]cluster-view-fresh", "[-]switch")
                        .endsWith("readyz check failed\n");
                assertThat(run.get("/metrics").body())
                        .contains("\novsanp_flow_mods_total 0.0\n")
                        .contains("\njvm_memory_used_bytes{area=\"heap\"} ")
                        .contains("\nprocess_cpu_seconds_total ")
                        .contains("\nprocess_open_fds ");
                assertThat(run.output()).doesNotContain("ovs-anp run: node=");

                api.startAgain();
                run.waitFor(() -> bridge.dumpFlows().size() == expected, "the flows");
                run.waitFor(() -> run.get("/readyz").status() == 200, "ready");
                assertThat(run.get("/readyz").body()).contains("[+]informers-synced", "[+]switch");
                assertStopsWithinTheBound(run, "agent after a late first sync");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> ready(KubernetesClient client, String anp) {
        var r = client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                .withName(anp)
                .get();
        if (!(r.getAdditionalProperties().get("status") instanceof java.util.Map<?, ?> status)
                || !(status.get("conditions") instanceof List<?> conditions)) {
            return null;
        }
        return conditions.stream()
                .map(c -> (java.util.Map<String, Object>) c)
                .filter(c -> "Ready".equals(c.get("type")))
                .findFirst()
                .orElse(null);
    }

    private static List<io.fabric8.kubernetes.api.model.Event> events(KubernetesClient client, String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    /**
     * The API server stops and comes back on the same port: one line for the loss, one for the regain
     * with the outage's length; readiness follows the view's staleness bound, liveness does not; and
     * with the server gone again SIGTERM still ends the agent within its bound.
     */
    @Test
    void agentLogsLosingAndRegainingTheApiOnceEachAndStopsInTimeWithoutIt() throws Exception {
        Needs.ovs();
        int expected = expectedFlows();
        try (Api api = new Api();
                PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            try (OvsAnpProcess run =
                    agent(api, bridge.mgmtSocket(), "--metrics-address", "127.0.0.1:0", "--stale-after", "3s")) {
                run.waitFor(() -> bridge.dumpFlows().size() == expected, "the flows");
                run.waitFor(() -> run.get("/readyz").status() == 200, "ready");

                api.stop();
                run.waitFor(() -> !run.lines(LOST).isEmpty(), "the loss line");
                run.waitFor(() -> run.get("/readyz").status() == 503, "not ready after --stale-after");
                assertThat(run.get("/readyz").body()).contains("[-]cluster-view-fresh");
                assertThat(run.get("/healthz").status())
                        .as("an unreachable API server is no reason to restart")
                        .isEqualTo(200);
                assertThat(bridge.dumpFlows()).as("the switch keeps its flows").hasSize(expected);

                api.startAgain();
                run.waitFor(() -> !run.lines(REGAINED).isEmpty(), "the regain line");
                run.waitFor(() -> run.get("/readyz").status() == 200, "ready again");
                assertThat(run.lines(LOST))
                        .singleElement()
                        .satisfies(l -> assertThat(l)
                                .contains(LOST + " " + api.url())
                                .contains("Connection refused")
                                .endsWith("the cluster view is frozen, switches keep their flows"));
                assertThat(run.lines(REGAINED))
                        .singleElement()
                        .satisfies(l -> assertThat(l).containsPattern(REGAINED + " \\d+ s$"));

                api.stop();
                run.waitFor(() -> run.lines(LOST).size() == 2, "the second loss");
                assertStopsWithinTheBound(run, "agent without the API server");
            }
        }
    }

    /**
     * Central mode with leader election: the API server stops while this replica holds the Lease and
     * SIGTERM comes at once, before the loss is known, so the Lease release is attempted and must
     * give up within its bound (it used to block on the client's retries for ~19 s).
     */
    @Test
    void centralLeaderStopsWithinItsBoundWhenTheApiServerIsGone() throws Exception {
        int listen;
        try (ServerSocket s = new ServerSocket(0)) {
            listen = s.getLocalPort();
        }
        try (Api api = new Api();
                OvsAnpProcess run = OvsAnpProcess.start(
                        REPO,
                        "run",
                        "--listen",
                        "ptcp:" + listen + ":127.0.0.1",
                        "--allow-unauthenticated-switches",
                        "--identity",
                        "replica-1",
                        "--server",
                        api.url(),
                        "--metrics-address",
                        "none")) {
            run.waitFor(() -> !run.lines("leading: this replica (replica-1)").isEmpty(), "the Lease");
            api.stop();
            assertStopsWithinTheBound(run, "central leader without the API server");
        }
    }

    /**
     * The agent's switch socket goes stale as a bind mount does when ovs-vswitchd recreates it: the
     * agent reaches the switch through a link that disappears while ovs-vswitchd restarts. /healthz
     * fails after --switch-liveness-timeout and recovers once the switch is reachable again.
     */
    @Test
    void agentLivenessFailsWhileItsSwitchIsUnreachableAndRecovers() throws Exception {
        Needs.ovs();
        int expected = expectedFlows();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "ovsanp-mount-");
        Path link = dir.resolve("br-int.mgmt");
        try (Api api = new Api();
                PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            Files.createSymbolicLink(link, bridge.mgmtSocket());
            try (OvsAnpProcess run =
                    agent(api, link, "--metrics-address", "127.0.0.1:0", "--switch-liveness-timeout", "2s")) {
                run.waitFor(() -> bridge.dumpFlows().size() == expected, "the flows");
                assertThat(run.get("/healthz").status()).isEqualTo(200);

                Files.delete(link);
                ovs.restartVswitchd("br-int");
                run.waitFor(() -> run.get("/healthz").status() == 503, "not live");
                assertThat(run.get("/healthz").body()).contains("[-]switch-connection");

                Files.createSymbolicLink(link, bridge.mgmtSocket());
                run.waitFor(() -> run.get("/healthz").status() == 200, "live again");
                run.waitFor(() -> bridge.dumpFlows().size() == expected, "the flows again");
                assertStopsWithinTheBound(run, "agent");
            }
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(dir);
        }
    }
}
