package io.ovsanp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundProcessTest {
    @TempDir
    Path dir;

    @Test
    void outputIsReadableWhileItRunsAndSigtermEndsIt() throws Exception {
        try (BackgroundProcess p = Command.of("sh", "-c", "echo ready; echo warn >&2; exec sleep 30")
                .start()) {
            p.waitFor(
                    () -> p.stdout().contains("ready") && p.stderr().contains("warn"), Duration.ofSeconds(10), "ready");
            assertThat(p.lines("ready")).containsExactly("ready");
            assertThat(p.output()).isEqualTo("ready\nwarn\n");
            assertThat(p.terminate(Duration.ofSeconds(10))).isNotNull();
            assertThat(p.isAlive()).isFalse();
        }
    }

    @Test
    void aConditionThatNeverComesFailsWithTheOutput() {
        try (BackgroundProcess p = Command.of("sh", "-c", "echo something else; exec sleep 30")
                .mergeStderr()
                .start()) {
            assertThatThrownBy(() -> p.waitFor(() -> false, Duration.ofMillis(300), "a miracle"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("waiting for a miracle")
                    .hasMessageContaining("something else");
        }
    }

    @Test
    void closeStopsItAndOutputFilesChosenByTheCallerStay() throws Exception {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        BackgroundProcess p =
                Command.of("sh", "-c", "echo hello; exec sleep 30").start(out, err);
        p.waitFor(() -> p.stdout().contains("hello"), Duration.ofSeconds(10), "hello");
        p.close();
        assertThat(Processes.isGone(p.pid())).isTrue();
        assertThat(Files.readString(out)).isEqualTo("hello\n");
        assertThat(err).exists();
    }
}
