package io.ovsanp.it.vagrant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Vagrant lab cannot boot here (no VMs), so CI checks it statically: the Vagrantfile parses, a
 * recording stand-in for Vagrant's configuration finds every VM, script and environment variable it
 * needs ({@code vagrant/test/check_vagrantfile.rb}); {@code ShellScriptsTest} runs shellcheck on its
 * scripts.
 */
class VagrantStaticCheckTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private record Run(int exit, String output) {}

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("vagrant-check", ".out");
        try {
            Process p = new ProcessBuilder(command)
                    .directory(REPO.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timed out: " + command);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void assumeTool(String tool) throws IOException, InterruptedException {
        boolean present = run(List.of("sh", "-c", "command -v " + tool)).exit() == 0;
        if (!present) {
            String message = tool + " is not installed (.ci/run installs it)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI=true, so this is a failure, not a skip: " + message);
            }
            Assumptions.abort(message);
        }
    }

    @Test
    void theVagrantfileParses() throws Exception {
        assumeTool("ruby");
        Run r = run(List.of("ruby", "-c", "vagrant/Vagrantfile"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("Syntax OK");
    }

    @Test
    void theVagrantfileDeclaresEveryVmScriptAndVariableItsScriptsNeed() throws Exception {
        assumeTool("ruby");
        Run r = run(List.of("ruby", "vagrant/test/check_vagrantfile.rb"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("4 VMs (ext, cp, w1, w2)");
    }
}
