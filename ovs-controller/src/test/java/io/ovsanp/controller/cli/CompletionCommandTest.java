package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ovs-anp completion bash} prints a bash script that bash accepts and that knows the CLI. */
class CompletionCommandTest {
    @TempDir
    Path dir;

    @Test
    void bashCompletionIsABashScriptNamingEverySubcommand() throws Exception {
        CliRun r = CliRun.of("completion", "bash");

        assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_ovs-anp")
                .contains("--cluster")
                .contains("--switch");
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            assertThat(r.out()).as(sub).containsPattern("\\b" + sub + "\\b");
        }
        assertThat(Main.commandLine().getSubcommands().keySet())
                .contains("compile", "explain", "validate", "sync", "diff", "run", "completion")
                // the mock API server is the dev-apiserver module's own command, not the agent's
                .doesNotContain("dev-apiserver");

        Path script = Files.writeString(dir.resolve("ovs-anp.bash"), r.out());
        Command.Result syntax = Command.of("bash", "-n", script.toString()).run();
        assertThat(syntax.exit()).as(syntax.stderr()).isZero();
    }

    @Test
    void anUnknownShellIsBadInput() {
        CliRun r = CliRun.of("completion", "fish");

        assertThat(r.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err()).contains("fish");
    }
}
