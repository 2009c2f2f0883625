package io.ovsanp.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.run.AgentSwitchSource;
import io.ovsanp.controller.run.Controller;
import io.ovsanp.controller.run.LoopOptions;
import io.ovsanp.devapiserver.DevApiServer;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a history of edits realised by the controller's loop (the one {@code ovs-anp run} runs), the
 * one-shot commands number the node as the switch does: {@code ovs-anp diff} of the same objects
 * shows nothing and exits 0, and {@code ovs-anp sync --once} sends no flow-mod. Before, an ANP delete
 * realised by {@code run} (+1 -5 flows) made {@code diff} print +7 -7 flows that differed only in
 * priority. Each seed is another random order of the edits; the switch is a real ovs-vswitchd and
 * the commands real processes.
 */
class NumberingAfterRunIT {
    private static final String NODE = "worker-1";

    @TempDir
    Path dir;

    @Test
    void afterAHistoryOfEditsThroughTheLoopDiffShowsNothingAndSyncOnceSendsNothing() throws Exception {
        Needs.ovs();
        for (long seed : List.of(1L, 2L, 3L)) {
            history(seed);
        }
    }

    private void history(long seed) throws Exception {
        Path repo = ControllerLoopIT.repo();
        Path example = repo.resolve("examples/node-ports-blocked");
        KubernetesMockServer server =
                DevApiServer.start(0, List.of(example.resolve("cluster.yaml"), example.resolve("policy.yaml")));
        try (PrivateOvs ovs = PrivateOvs.start();
                KubernetesClient client = server.createClient();
                ClusterWatcher watcher = ClusterWatcher.start(client)) {
            Bridge br = ovs.addBridge("br-int");
            watcher.awaitSynced(Duration.ofSeconds(60));
            try (Controller controller = Controller.start(
                    watcher,
                    new AgentSwitchSource(NODE, SwitchTarget.parse("unix:" + br.mgmtSocket()), Optional.empty()),
                    LoopOptions.DEFAULT.withAuditInterval(Duration.ofHours(1)),
                    List.of())) {
                settle(controller, br);
                List<Runnable> edits = new ArrayList<>(edits(client));
                java.util.Collections.shuffle(edits, new Random(seed));
                for (Runnable edit : edits) {
                    var before = watcher.snapshot();
                    edit.run();
                    // the loop may be idle before the informers have the edit: wait for them first
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (watcher.snapshot().equals(before)) {
                        assertThat(System.nanoTime())
                                .as("the informers show the edit")
                                .isLessThan(deadline);
                        Thread.sleep(20);
                    }
                    controller.loop().snapshotChanged(); // the informer's own notification may still be on its way
                    settle(controller, br);
                }
            }
            Path state = export(client, dir.resolve("state-" + seed));
            List<String> before = br.dumpFlows();

            Command.Result diff = run(
                    repo, "diff", "--cluster", state.toString(), "--node", NODE, "--switch", "unix:" + br.mgmtSocket());
            assertThat(diff.exit()).as("seed %d: diff%n%s", seed, diff.output()).isZero();
            assertThat(diff.output()).contains("switch holds the compiled flows");

            Command.Result once = run(
                    repo,
                    "sync",
                    "--once",
                    "--cluster",
                    state.toString(),
                    "--node",
                    NODE,
                    "--switch",
                    "unix:" + br.mgmtSocket());
            assertThat(once.exit())
                    .as("seed %d: sync --once%n%s", seed, once.output())
                    .isZero();
            assertThat(once.output()).contains("+0 ~0 -0");
            assertThat(br.dumpFlows())
                    .as("seed %d: the switch after sync --once", seed)
                    .isEqualTo(before);
        } finally {
            DevApiServer.stop(server);
        }
    }

    /** Waits until the switch is connected, the loop idle and the switch holds some of our flows. */
    private static void settle(Controller controller, Bridge br) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!controller.loop().connectedNodes().contains(NODE)) {
            assertThat(System.nanoTime()).as("the switch connects").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(controller.loop().awaitIdle(Duration.ofSeconds(60)))
                .as("the loop settles")
                .isTrue();
        assertThat(br.dumpFlows()).isNotEmpty();
    }

    /** Edits of ANPs (added with a tied priority, re-prioritised, deleted, recreated) and of pods. */
    private static List<Runnable> edits(KubernetesClient client) {
        return List.of(
                () -> anp(client, "extra-a", 30, "Deny", "10.1.0.0/16", 80),
                () -> anp(client, "extra-b", 30, "Allow", "192.0.2.0/24", 443),
                () -> anp(client, "extra-c", 7, "Deny", "198.51.100.0/24", 53),
                () -> client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                        .withName("protect-nodes")
                        .delete(),
                () -> anp(client, "late", 31, "Deny", "203.0.113.0/24", 22),
                () -> client.resource(pod("web-2", "shop", "web", "10.244.1.77"))
                        .create(),
                () -> client.resource(pod("reporter-2", "analytics", "reporter", "10.244.1.78"))
                        .create());
    }

    private static void anp(KubernetesClient client, String name, int priority, String action, String cidr, int port) {
        String yaml = "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: "
                + name + "}\nspec:\n  priority: " + priority + "\n  subject: {namespaces: {}}\n  egress:\n"
                + "  - name: r\n    action: " + action + "\n    to: [{networks: [" + cidr + "]}]\n"
                + "    ports: [{portNumber: {protocol: TCP, port: " + port + "}}]\n";
        client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                .resource(client.getKubernetesSerialization()
                        .unmarshal(yaml, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
                .create();
    }

    private static String pod(String name, String ns, String app, String ip) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
                + "\",\"labels\":{\"app\":\"" + app + "\"}},\"spec\":{\"nodeName\":\"" + NODE
                + "\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},\"status\":{\"phase\":\"Running\","
                + "\"podIP\":\"" + ip + "\",\"podIPs\":[{\"ip\":\"" + ip + "\"}]}}";
    }

    /** Every object the API holds, as one file of YAML documents (what kubectl get -o yaml would give). */
    private static Path export(KubernetesClient client, Path dir) throws Exception {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.namespaces().list().getItems());
        all.addAll(client.nodes().list().getItems());
        all.addAll(client.pods().inAnyNamespace().list().getItems());
        all.addAll(client.services().inAnyNamespace().list().getItems());
        all.addAll(
                client.discovery().v1().endpointSlices().inAnyNamespace().list().getItems());
        all.addAll(
                client.network().v1().networkPolicies().inAnyNamespace().list().getItems());
        all.addAll(client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                .list()
                .getItems());
        all.addAll(client.genericKubernetesResources(ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY)
                .list()
                .getItems());
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata o : all) {
            String doc = client.getKubernetesSerialization().asYaml(o);
            yaml.append(doc.startsWith("---") ? doc : "---\n" + doc).append('\n');
        }
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("cluster.yaml"), yaml, StandardCharsets.UTF_8);
    }

    private static Command.Result run(Path repo, String... args) {
        return OvsAnpProcess.run(repo, Map.of(), args);
    }
}
