package io.ovsanp.it.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shell script of the labs ({@code lab/*.sh}, {@code vagrant/**}{@code /*.sh}), the launchers
 * ({@code bin/}, the release's {@code distribution/src/bin/}), of {@code
 * deploy/} (the PKI script) and of {@code docs/repro/} passes {@code
 * shellcheck} (following sourced files) and is executable when it has a shebang. Without shellcheck
 * the test is skipped, except with {@code CI=true}, where it fails (CI installs shellcheck).
 */
class ShellScriptsTest {
    static List<Path> scripts() throws IOException {
        List<Path> scripts = new ArrayList<>();
        for (String dir : List.of("bin", "distribution/src/bin", "lab", "vagrant", "deploy", "docs/repro")) {
            Path root = Lab.REPO.resolve(dir);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".sh") || bashShebang(p))
                        .sorted()
                        .forEach(scripts::add);
            }
        }
        scripts.add(Lab.REPO.resolve(".ci/run"));
        return scripts;
    }

    /** Scripts without the .sh suffix: the CNI plugin (a CNI binary is named by its type). */
    private static boolean bashShebang(Path p) {
        try (var lines = Files.lines(p)) {
            return lines.findFirst().orElse("").matches("#!.*\\bbash\\b.*");
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // not text
        }
    }

    @Test
    void everyLabScriptPassesShellcheck() throws IOException {
        Needs.command("shellcheck");
        List<Path> scripts = scripts();
        assertThat(scripts)
                .as("lab scripts")
                .extracting(p -> Lab.REPO.relativize(p).toString())
                .contains(
                        "bin/ovs-anp",
                        "bin/ovs-anp-dev-apiserver",
                        "distribution/src/bin/ovs-anp",
                        "lab/up.sh",
                        "lab/attach-pod.sh",
                        "vagrant/cni/ovs-anp-cni",
                        "vagrant/provision/common.sh",
                        "vagrant/provision/central-switch.sh",
                        "deploy/pki/ovs-anp-pki.sh",
                        "docs/repro/stale-megaflow.sh",
                        ".ci/run");
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-x", "--severity=style"));
        scripts.forEach(p -> cmd.add(p.toString()));
        Command.Result r = Lab.run(Duration.ofMinutes(2), cmd.toArray(String[]::new));
        assertThat(r.exit()).as("shellcheck findings:\n" + r.output()).isZero();
    }

    @Test
    void everyScriptWithAShebangIsExecutable() throws IOException {
        for (Path p : scripts()) {
            if (Files.readString(p).startsWith("#!")) {
                assertThat(Files.isExecutable(p)).as(p + " is executable").isTrue();
            }
        }
    }
}
