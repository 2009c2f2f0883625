package io.ovsanp.it.vagrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Vagrant lab cannot boot here (no VMs), so CI checks it statically: the Vagrantfile parses, a
 * recording stand-in for Vagrant's configuration finds every VM, script and environment variable it
 * needs ({@code vagrant/test/check_vagrantfile.rb}), in both modes ({@code OVSANP_MODE}); the overlay
 * patches apply to deploy/'s manifests ({@code kubectl patch --local}); {@code ShellScriptsTest} runs
 * shellcheck on its scripts.
 */
class VagrantStaticCheckTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    /** {@code command} in the repository, stdout and stderr together, without an OVSANP_MODE of ours. */
    private static Command.Result run(List<String> command, Map<String, String> env) {
        return Command.of(command)
                .directory(REPO)
                .mergeStderr()
                .unsetEnv("OVSANP_MODE")
                .env(env)
                .timeout(Duration.ofMinutes(2))
                .run();
    }

    private static Command.Result run(List<String> command) {
        return run(command, Map.of());
    }

    @Test
    void theVagrantfileParses() throws Exception {
        Needs.command("ruby");
        Command.Result r = run(List.of("ruby", "-c", "vagrant/Vagrantfile"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("Syntax OK");
    }

    @Test
    void theVagrantfileDeclaresEveryVmScriptAndVariableItsScriptsNeedInBothModes() throws Exception {
        for (String mode : List.of("agent", "central")) {
            Command.Result r = checkVagrantfile(Map.of("OVSANP_MODE", mode));
            assertThat(r.exit()).as(mode + ": " + r.output()).isZero();
            assertThat(r.output()).contains("(" + mode + " mode): 4 VMs (ext, cp, w1, w2)");
        }
        assertThat(checkVagrantfile(Map.of()).output()).as("the default").contains("(agent mode)");
    }

    @Test
    void anUnknownModeIsRefused() throws Exception {
        Command.Result r = checkVagrantfile(Map.of("OVSANP_MODE", "centrl"));
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("OVSANP_MODE must be agent or central");
    }

    /** {@code vagrant/test/check_vagrantfile.rb} with {@code env} (and no OVSANP_MODE of ours). */
    private static Command.Result checkVagrantfile(Map<String, String> env) {
        Needs.command("ruby");
        return run(List.of("ruby", "vagrant/test/check_vagrantfile.rb"), env);
    }

    @Test
    void theAgentOverlayRunsTheSyncedJarAndKeepsTheSocketMount() throws Exception {
        JsonNode spec =
                patched("deploy/overlays/agent/daemonset.yaml", "DaemonSet", "vagrant/overlay/agent-patch.json");
        JsonNode container = spec.path("containers").get(0);
        assertThat(container.path("image").asString()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(mountPaths(container)).contains("/opt/ovs-anp", "/var/run/openvswitch/br-int.mgmt");
        assertThat(spec.path("hostNetwork").asBoolean(false)).isTrue(); // deploy/'s own choice
    }

    @Test
    void theCentralOverlayRunsTheSyncedJarOnTheControlPlanesHostNetworkWithTls() throws Exception {
        JsonNode spec = patched(
                "deploy/overlays/central/statefulset.yaml", "StatefulSet", "vagrant/overlay/central-patch.json");
        JsonNode container = spec.path("containers").get(0);
        assertThat(container.path("image").asString()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(container.path("command").values())
                .extracting(JsonNode::asString)
                .contains("-jar");
        assertThat(mountPaths(container)).contains("/opt/ovs-anp", "/etc/ovs-anp/tls");
        assertThat(container.path("args").values())
                .extracting(JsonNode::asString)
                .contains("pssl:6653");
        assertThat(spec.path("hostNetwork").asBoolean(false)).isTrue();
        assertThat(spec.path("nodeSelector").has("node-role.kubernetes.io/control-plane"))
                .isTrue();
    }

    private static List<String> mountPaths(JsonNode container) {
        return container.path("volumeMounts").values().stream()
                .map(m -> m.path("mountPath").asString())
                .toList();
    }

    /** The pod spec of the {@code kind} document of {@code manifest} after {@code kubectl patch --local}. */
    private static JsonNode patched(String manifest, String kind, String patch) throws Exception {
        Needs.command("kubectl");
        String text = Files.readString(REPO.resolve(manifest));
        String doc = Arrays.stream(text.split("(?m)^---$"))
                .filter(d -> d.contains("\nkind: " + kind + "\n"))
                .findFirst()
                .orElseThrow();
        Path one = Files.createTempFile("overlay", ".yaml");
        try {
            Files.writeString(one, doc);
            Command.Result r = run(List.of(
                    "kubectl",
                    "patch",
                    "--local",
                    "--type",
                    "json",
                    "--patch-file",
                    patch,
                    "-f",
                    one.toString(),
                    "-o",
                    "json"));
            assertThat(r.exit()).as(r.output()).isZero();
            return new ObjectMapper()
                    .readTree(r.output())
                    .path("spec")
                    .path("template")
                    .path("spec");
        } finally {
            Files.deleteIfExists(one);
        }
    }
}
