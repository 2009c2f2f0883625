package io.ovsanp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTest {
    @TempDir
    Path dir;

    private static Command sh(String script) {
        return Command.of("sh", "-c", script).env("OVSANP_TEST_VAR", "from-env").timeout(Duration.ofSeconds(10));
    }

    @Test
    void capturesStdoutAndSeesTheExtraEnvironment() {
        Command.Result r = sh("echo \"$OVSANP_TEST_VAR\"; echo two").runOrThrow();
        assertThat(r.ok()).isTrue();
        assertThat(r.stdoutLines()).containsExactly("from-env", "two");
    }

    @Test
    void feedsStandardInput() {
        assertThat(Command.of("cat", "-").stdin("a\n# b\n").runOrThrow().stdout())
                .isEqualTo("a\n# b\n");
    }

    @Test
    void failureNamesCommandExitCodeAndStderr() {
        assertThatThrownBy(() -> sh("echo oops >&2; exit 3").runOrThrow())
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("[sh, -c, echo oops >&2; exit 3]")
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("stderr: oops");
    }

    @Test
    void runReportsFailureWithoutThrowing() {
        Command.Result r = sh("exit 4").run();
        assertThat(r.ok()).isFalse();
        assertThat(r.exit()).isEqualTo(4);
    }

    @Test
    void missingProgramIsNamed() {
        assertThatThrownBy(() -> Command.of("ovsanp-no-such-program").run())
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("ovsanp-no-such-program")
                .hasMessageContaining("could not be started");
    }

    @Test
    void slowCommandTimesOut() {
        Command quick = Command.of("sleep", "10").timeout(Duration.ofMillis(200));
        assertThatThrownBy(quick::runOrThrow)
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("[sleep, 10] timed out");
        Command.Result r = quick.run();
        assertThat(r.timedOut()).isTrue();
        assertThat(r.output()).contains("timed out after PT0.2S");
    }

    @Test
    void detachedChildHoldingOutputDoesNotBlock() {
        // Like ovs-vswitchd --detach: the command exits while a background child keeps running.
        long start = System.nanoTime();
        sh("sleep 5 & echo started").runOrThrow();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void mergedStderrIsInterleavedAsWritten() {
        Command.Result r =
                sh("echo one; echo two >&2; echo three").mergeStderr().run();
        assertThat(r.stdoutLines()).containsExactly("one", "two", "three");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.output()).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void runsInTheDirectoryWithoutTheUnsetVariable() {
        Command.Result r = sh("pwd; echo \"${OVSANP_TEST_VAR:-unset}\"")
                .directory(dir)
                .unsetEnv("OVSANP_TEST_VAR")
                .runOrThrow();
        assertThat(r.stdoutLines()).containsExactly(dir.toString(), "unset");
    }

    @Test
    void inNetnsRunsThroughIpNetnsExec() {
        assertThat(Command.of("true").inNetns("ns-a").argv()).containsExactly("ip", "netns", "exec", "ns-a", "true");
    }
}
