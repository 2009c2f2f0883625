package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SwitchTargetTest {
    @Test
    void activeTargetsParse() {
        assertThat(SwitchTarget.parse("unix:/var/run/openvswitch/br-int.mgmt"))
                .isEqualTo(new SwitchTarget.Unix(Path.of("/var/run/openvswitch/br-int.mgmt")));
        assertThat(SwitchTarget.parse("tcp:10.0.0.5:6633")).isEqualTo(new SwitchTarget.Tcp("10.0.0.5", 6633, false));
        assertThat(SwitchTarget.parse("ssl:ovs.example:6653"))
                .isEqualTo(new SwitchTarget.Tcp("ovs.example", 6653, true));
        assertThat(SwitchTarget.parse("tcp:10.0.0.5")).isEqualTo(new SwitchTarget.Tcp("10.0.0.5", 6653, false));
        assertThat(SwitchTarget.parse("tcp:[fd00::1]:6640")).isEqualTo(new SwitchTarget.Tcp("fd00::1", 6640, false));
        assertThat(SwitchTarget.parse("unix:/x").isActive()).isTrue();
    }

    @Test
    void passiveTargetsParse() {
        assertThat(SwitchTarget.parse("ptcp:6653")).isEqualTo(new SwitchTarget.Listen(6653, Optional.empty(), false));
        assertThat(SwitchTarget.parse("pssl:6653:127.0.0.1"))
                .isEqualTo(new SwitchTarget.Listen(6653, Optional.of("127.0.0.1"), true));
        assertThat(SwitchTarget.parse("ptcp:")).isEqualTo(new SwitchTarget.Listen(6653, Optional.empty(), false));
        assertThat(SwitchTarget.parse("ptcp:0:[::1]")).isEqualTo(new SwitchTarget.Listen(0, Optional.of("::1"), false));
        assertThat(SwitchTarget.parse("pssl:6653").isActive()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "unix:/run/br-int.mgmt",
                "tcp:10.0.0.5:6633",
                "ssl:[fd00::1]:6653",
                "ptcp:6653",
                "pssl:0:127.0.0.1",
                "ptcp:6653:[::1]"
            })
    void toStringGivesBackTheTarget(String text) {
        assertThat(SwitchTarget.parse(text)).hasToString(text);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "br-int.mgmt|no scheme",
                "punix:/run/x|unsupported scheme 'punix'",
                "unix:|unix: needs a socket path",
                "tcp:|tcp: needs a host",
                "tcp:host:http|port 'http' is not a number",
                "tcp:host:0|port 0 out of range",
                "ssl:host:70000|port 70000 out of range",
                "tcp:fd00::1:6653|an IPv6 address must be written in brackets",
                "tcp:[fd00::1|unclosed '['",
                "ptcp:6653:|empty listen address",
                "ptcp:-1|port -1 out of range"
            })
    void badTargetsNameTheProblemAndTheAcceptedForms(String text, String problem) {
        assertThatThrownBy(() -> SwitchTarget.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad switch target '" + text + "'")
                .hasMessageContaining(problem)
                .hasMessageContaining("expected unix:PATH, tcp:HOST[:PORT], ssl:HOST[:PORT]");
    }
}
