package io.ovsanp.it.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessesTest {
    @Test
    void stopTerminatesAProcessWhoseCommandLineHasTheMarker() throws IOException {
        Process p = new ProcessBuilder("sleep", "31").start();
        assertThat(Processes.stop(p.pid(), "sleep 31", Duration.ofSeconds(5))).isTrue();
        assertThat(Processes.isGone(p.pid())).isTrue();
    }

    @Test
    void stopLeavesAProcessWithoutTheMarkerAlone() throws IOException {
        Process p = new ProcessBuilder("sleep", "32").start();
        try {
            assertThat(Processes.stop(p.pid(), "/tmp/ovsanp-it-not-this-one/", Duration.ofSeconds(5)))
                    .isTrue();
            assertThat(p.isAlive()).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aPidThatDoesNotExistIsGone() {
        assertThat(Processes.isGone(Long.MAX_VALUE)).isTrue();
    }
}
