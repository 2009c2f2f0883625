package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What connecting and listening refuse up front, and how a refused connection reads. */
class SwitchConnectorTest {
    private static final TlsConfig SOME_TLS = new TlsConfig(Path.of("k.pem"), Path.of("c.pem"), Path.of("ca.pem"));

    @TempDir
    Path dir;

    @Test
    void passiveTargetsAreForTheListenerAndActiveOnesForTheConnector() {
        assertThatThrownBy(() -> SwitchConnector.connect(SwitchTarget.parse("ptcp:6653"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use SwitchListener.listen");
        assertThatThrownBy(() ->
                        SwitchListener.listen(SwitchTarget.parse("tcp:127.0.0.1:6653"), Optional.empty(), c -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use SwitchConnector.connect");
    }

    @Test
    void sslNeedsATlsConfigAndOtherSchemesRefuseOne() {
        assertThatThrownBy(() -> SwitchConnector.connect(SwitchTarget.parse("ssl:127.0.0.1:6653"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs TLS files");
        assertThatThrownBy(() -> SwitchConnector.connect(SwitchTarget.parse("unix:/x"), Optional.of(SOME_TLS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only for ssl: and pssl: targets");
    }

    @Test
    void aMissingSocketFailsTheFutureNamingTheTarget() {
        String target = "unix:" + dir.resolve("nobody.mgmt");
        assertThatThrownBy(() -> SwitchConnector.connect(SwitchTarget.parse(target), Optional.empty())
                        .get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(SwitchConnectException.class)
                .hasMessageContaining("cannot connect to " + target);
    }

    @Test
    void aListenerOnPortZeroReportsTheRealPortAndABusyPortFailsClearly() {
        try (SwitchListener l =
                SwitchListener.listen(SwitchTarget.parse("ptcp:0:127.0.0.1"), Optional.empty(), c -> {})) {
            int port = l.localAddress().getPort();
            assertThat(port).isPositive();
            assertThatThrownBy(() -> SwitchListener.listen(
                            SwitchTarget.parse("ptcp:" + port + ":127.0.0.1"), Optional.empty(), c -> {}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on ptcp:" + port + ":127.0.0.1");
        }
    }
}
