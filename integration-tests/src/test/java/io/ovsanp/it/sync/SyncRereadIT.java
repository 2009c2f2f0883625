package io.ovsanp.it.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.BackgroundProcess;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ovs-anp sync} without {@code --once} re-reads its files when they change. A re-read that
 * is not one well-defined set of objects (a duplicate policy, a policy file emptied mid-write) is
 * reported and never applied: the switch keeps its last good flows until the files are fixed.
 */
class SyncRereadIT {
    @TempDir
    Path dir;

    private static final String OVERRIDE = """
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: protect-nodes}
            spec:
              priority: 10
              subject: {namespaces: {}}
              egress: [{name: open, action: Allow, to: [{networks: ["0.0.0.0/0"]}]}]
            """;

    @Test
    void aReReadWithADuplicateOrAnEmptiedFileLeavesTheSwitchsFlowsAsTheyWere() throws Exception {
        Needs.ovs();
        Path repo = Path.of(System.getProperty("ovsanp.repo", ".."))
                .toAbsolutePath()
                .normalize();
        // The logs live outside the watched directory: sync re-reads when anything in it changes.
        Path cluster = Files.createDirectories(dir.resolve("cluster"));
        Path example = repo.resolve("examples/node-ports-blocked");
        Files.copy(example.resolve("cluster.yaml"), cluster.resolve("cluster.yaml"));
        Path policy = Files.copy(example.resolve("policy.yaml"), cluster.resolve("policy.yaml"));
        Path out = dir.resolve("sync.out");
        Path err = dir.resolve("sync.err");
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            BackgroundProcess sync = Command.of(
                            repo.resolve("bin/ovs-anp").toString(),
                            "sync",
                            "--cluster",
                            cluster.toString(),
                            "--node",
                            "worker-1",
                            "--switch",
                            bridge.target(),
                            "--poll-interval",
                            "100ms")
                    .directory(repo)
                    .start(out, err);
            try {
                await(out, o -> o.contains("node=worker-1"), "the first convergence");
                List<String> converged = bridge.dumpFlows();
                assertThat(converged).hasSize(CompiledFlows.count(cluster, "worker-1"));

                // A second definition of the Deny policy, as an Allow: neither may be applied.
                Path override = Files.writeString(cluster.resolve("zz-override.yaml"), OVERRIDE);
                String duplicate = override + " (document 0): AdminNetworkPolicy/protect-nodes: duplicate object,"
                        + " also defined in " + policy + " (document 0)";
                await(err, e -> e.contains(duplicate) && e.contains("keeps its previous flows"), "the duplicate");
                assertThat(bridge.dumpFlows()).isEqualTo(converged);

                // The policy file caught empty, as while an editor rewrites it: not "no policies".
                Files.writeString(policy, "");
                await(err, e -> e.contains(policy + ": no Kubernetes object in this file"), "the empty file");
                assertThat(bridge.dumpFlows()).isEqualTo(converged);

                Files.delete(override);
                // Restored by rename, so no poll can see half of it (a torn write could parse).
                Path fixed = Files.copy(example.resolve("policy.yaml"), dir.resolve("policy.yaml"));
                Files.move(fixed, policy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                await(err, e -> e.contains("the input is usable again"), "the files fixed");
                assertThat(bridge.dumpFlows()).isEqualTo(converged);
                // and it follows the files again: the policy deleted, its flows go
                Files.delete(policy);
                await(
                        out,
                        o -> o.lines().anyMatch(l -> l.contains(" -") && !l.contains(" -0 ")),
                        "the policy's flows removed");
                assertThat(bridge.dumpFlows()).hasSizeLessThan(converged.size());
                assertThat(Files.readString(err)).doesNotContainPattern("(?m)^\\s*at [a-zA-Z]");
            } finally {
                sync.close();
            }
        }
    }

    /** Waits up to 120 s (the launcher may build the jar first) for the file's text to satisfy {@code until}. */
    private static void await(Path file, Predicate<String> until, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (until.test(read(file))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within 120 s; the output was:\n" + read(file));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
