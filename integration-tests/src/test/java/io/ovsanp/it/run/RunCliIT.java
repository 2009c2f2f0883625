package io.ovsanp.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.controller.kube.DevApiServer;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.it.ovs.Bridge;
import io.ovsanp.it.ovs.OvsSupport;
import io.ovsanp.it.ovs.PrivateOvs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/ovs-anp run} as a process, against {@code dev-apiserver}'s mock API (in-process here)
 * and a real ovs-vswitchd: it converges the node's switch, follows a policy change, and stops cleanly
 * on SIGTERM.
 */
class RunCliIT {
    @Test
    void runConvergesFollowsAChangeAndStopsOnSigterm() throws Exception {
        OvsSupport.assumeOvsAvailable();
        Path repo = ControllerLoopIT.repo();
        Path example = repo.resolve("examples/node-ports-blocked");
        int expected = Compiler.compile(SnapshotLoader.load(List.of(example)), "worker-1", Allocation.EMPTY)
                .flows()
                .size();
        KubernetesMockServer server =
                DevApiServer.start(0, List.of(example.resolve("cluster.yaml"), example.resolve("policy.yaml")));
        try (PrivateOvs ovs = PrivateOvs.start();
                KubernetesClient client = server.createClient()) {
            Bridge bridge = ovs.addBridge("br-int");
            ProcessBuilder pb = new ProcessBuilder(
                            repo.resolve("bin/ovs-anp").toString(),
                            "run",
                            "--node",
                            "worker-1",
                            "--switch",
                            "unix:" + bridge.mgmtSocket(),
                            "--server",
                            DevApiServer.url(server))
                    .redirectErrorStream(true)
                    .directory(repo.toFile());
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread pump = new Thread(() -> {
                try {
                    p.getInputStream().transferTo(out);
                } catch (java.io.IOException e) {
                    // process gone
                }
            });
            pump.start();
            try {
                waitFor(() -> bridge.dumpFlows().size() == expected, out);
                assertThat(bridge.dumpFlows()).anyMatch(f -> f.contains("tp_dst=10250"));
                client.genericKubernetesResources(io.ovsanp.controller.kube.ClusterWatcher.ADMIN_NETWORK_POLICY)
                        .withName("protect-nodes")
                        .delete();
                waitFor(() -> bridge.dumpFlows().stream().noneMatch(f -> f.contains("tp_dst=10250")), out);
            } finally {
                // SIGTERM (Process.destroy() would also close our end of its output pipe)
                p.toHandle().destroy();
                boolean exited = p.waitFor(60, TimeUnit.SECONDS);
                if (!exited) p.destroyForcibly();
                pump.join(10_000);
                assertThat(exited).as("exits on SIGTERM%n%s", out).isTrue();
            }
            String log = out.toString(StandardCharsets.UTF_8);
            assertThat(log)
                    .as("exit %d", p.exitValue())
                    .contains("ovs-anp run: node=worker-1")
                    .contains("node=worker-1 dpid=")
                    .contains("stopping")
                    .contains("stopped");
        } finally {
            DevApiServer.stop(server);
        }
    }

    private static void waitFor(BooleanSupplier condition, ByteArrayOutputStream out) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240); // first use may build the jar
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime())
                    .as("timed out; output:%n%s", out.toString(StandardCharsets.UTF_8))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
