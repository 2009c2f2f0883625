package io.ovsanp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessesTest {
    @Test
    void stopTerminatesAProcessWhoseCommandLineHasTheMarker() {
        try (BackgroundProcess p = Command.of("sleep", "31").start()) {
            assertThat(Processes.stop(p.pid(), "sleep 31", Duration.ofSeconds(5)))
                    .isTrue();
            assertThat(Processes.isGone(p.pid())).isTrue();
        }
    }

    @Test
    void stopLeavesAProcessWithoutTheMarkerAlone() {
        try (BackgroundProcess p = Command.of("sleep", "32").start()) {
            assertThat(Processes.stop(p.pid(), "/tmp/ovsanp-it-not-this-one/", Duration.ofSeconds(5)))
                    .isTrue();
            assertThat(p.isAlive()).isTrue();
        }
    }

    @Test
    void signalRefusesAProcessWithoutTheMarker() {
        try (BackgroundProcess p = Command.of("sleep", "33").start()) {
            assertThatThrownBy(() -> Processes.signal(p.pid(), "/tmp/ovsanp-it-not-this-one/", "KILL"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is not ours");
            assertThat(p.isAlive()).isTrue();
        }
    }

    @Test
    void aPidThatDoesNotExistIsGone() {
        assertThat(Processes.isGone(Long.MAX_VALUE)).isTrue();
    }
}
