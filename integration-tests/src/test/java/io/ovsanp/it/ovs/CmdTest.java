package io.ovsanp.it.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CmdTest {
    private final Cmd cmd = new Cmd(Map.of("OVSANP_TEST_VAR", "from-env"), Duration.ofSeconds(10));

    @Test
    void capturesStdoutAndSeesTheExtraEnvironment() {
        Cmd.Result r = cmd.run("sh", "-c", "echo \"$OVSANP_TEST_VAR\"; echo two");
        assertThat(r.ok()).isTrue();
        assertThat(r.stdoutLines()).containsExactly("from-env", "two");
    }

    @Test
    void feedsStandardInput() {
        assertThat(cmd.runWithInput("a\n# b\n", "cat", "-").stdout()).isEqualTo("a\n# b\n");
    }

    @Test
    void failureNamesCommandExitCodeAndStderr() {
        assertThatThrownBy(() -> cmd.run("sh", "-c", "echo oops >&2; exit 3"))
                .isInstanceOf(Cmd.CmdException.class)
                .hasMessageContaining("[sh, -c, echo oops >&2; exit 3]")
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("stderr: oops");
    }

    @Test
    void tryRunReportsFailureWithoutThrowing() {
        Cmd.Result r = cmd.tryRun("sh", "-c", "exit 4");
        assertThat(r.ok()).isFalse();
        assertThat(r.exitCode()).isEqualTo(4);
    }

    @Test
    void missingProgramIsNamed() {
        assertThatThrownBy(() -> cmd.run("ovsanp-no-such-program"))
                .isInstanceOf(Cmd.CmdException.class)
                .hasMessageContaining("ovsanp-no-such-program")
                .hasMessageContaining("could not be started");
    }

    @Test
    void slowCommandTimesOut() {
        Cmd quick = new Cmd(Map.of(), Duration.ofMillis(200));
        assertThatThrownBy(() -> quick.run("sleep", "10"))
                .isInstanceOf(Cmd.CmdException.class)
                .hasMessageContaining("[sleep, 10] timed out");
    }

    @Test
    void detachedChildHoldingOutputDoesNotBlock() {
        // Like ovs-vswitchd --detach: the command exits while a background child keeps running.
        long start = System.nanoTime();
        cmd.run("sh", "-c", "sleep 5 & echo started");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
}
