package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@link Unixctl} that need no daemon; {@code TraceCliIT} talks to a real ovs-vswitchd. */
class UnixctlTest {
    @TempDir
    Path dir;

    /** The index just past the end of the first JSON object, or -1. */
    static int end(String text) {
        Unixctl.JsonScan scan = new Unixctl.JsonScan();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (scan.complete(b[i])) return i + 1;
        }
        return -1;
    }

    @Test
    void theReplyEndsAtTheClosingBraceOfTheFirstObjectNotInsideStrings() {
        String reply = "{\"id\":0,\"result\":\"a } and a \\\" and {[\\n\",\"error\":null}";
        assertThat(end(reply + "{\"next\":1}")).isEqualTo(reply.length());
        assertThat(end(reply.substring(0, reply.length() - 1))).isEqualTo(-1);
        assertThat(end("{\"a\":[{}]}")).isEqualTo(10);
    }

    @Test
    void theSocketIsFoundByTheDaemonsPidFile() throws Exception {
        Files.writeString(dir.resolve("ovs-vswitchd.pid"), "4242\n");
        Files.createFile(dir.resolve("ovs-vswitchd.4242.ctl"));
        Files.createFile(dir.resolve("ovs-vswitchd.17.ctl")); // a dead daemon's leftover
        assertThat(Unixctl.vswitchdSocket(dir.resolve("br-int.mgmt"))).isEqualTo(dir.resolve("ovs-vswitchd.4242.ctl"));
    }

    @Test
    void withoutAPidFileOnlyASingleSocketIsTaken() throws Exception {
        Path mgmt = dir.resolve("br-int.mgmt");
        assertThatThrownBy(() -> Unixctl.vswitchdSocket(mgmt))
                .isInstanceOf(BadInput.class)
                .hasMessage("no ovs-vswitchd.PID.ctl in " + dir + ": name the unixctl socket with --appctl-socket");
        Files.createFile(dir.resolve("ovs-vswitchd.17.ctl"));
        assertThat(Unixctl.vswitchdSocket(mgmt)).isEqualTo(dir.resolve("ovs-vswitchd.17.ctl"));
        Files.createFile(dir.resolve("ovs-vswitchd.18.ctl"));
        assertThatThrownBy(() -> Unixctl.vswitchdSocket(mgmt))
                .isInstanceOf(BadInput.class)
                .hasMessageStartingWith("more than one ovs-vswitchd.PID.ctl in " + dir);
    }

    @Test
    void aMissingSocketIsBadInputNamingIt() {
        Path socket = dir.resolve("ovs-vswitchd.1.ctl");
        assertThatThrownBy(() -> Unixctl.call(socket, "ofproto/trace", List.of("br-int", "ip"), Duration.ofSeconds(5)))
                .isInstanceOf(BadInput.class)
                .hasMessageStartingWith("cannot talk to ovs-vswitchd's unixctl socket " + socket + ": ");
    }
}
