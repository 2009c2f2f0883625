package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.controller.central.LeaderElection;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class CentralOptionsTest {
    @Command(name = "run")
    static final class Run {
        @Mixin
        CentralOptions central;
    }

    private static CentralOptions parse(String... args) {
        Run run = new Run();
        new CommandLine(run).parseArgs(args);
        return run.central;
    }

    @Test
    void withoutListenItIsNotCentralMode() {
        assertThat(parse().central()).isFalse();
    }

    @Test
    void theLeaseFlagsOverrideTheDefaults() throws Exception {
        CentralOptions o = parse(
                "--listen",
                "ptcp:6653",
                "--lease-name",
                "anp",
                "--lease-namespace",
                "kube-system",
                "--identity",
                "r1",
                "--lease-duration",
                "3s",
                "--renew-deadline",
                "2s",
                "--retry-period",
                "500ms");
        assertThat(o.central()).isTrue();
        assertThat(o.listenTarget()).isEqualTo(new SwitchTarget.Listen(6653, Optional.empty(), false));
        assertThat(o.leaseSettings())
                .isEqualTo(new LeaderElection.Settings(
                        "kube-system",
                        "anp",
                        "r1",
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(2),
                        Duration.ofMillis(500)));
    }

    @Test
    void theDefaultsAreClientGosTiming() throws Exception {
        LeaderElection.Settings s = parse("--listen", "ptcp:6653").leaseSettings();
        assertThat(s.name()).isEqualTo("ovs-anp");
        assertThat(s.namespace()).isEqualTo(LeaderElection.Settings.defaultNamespace());
        assertThat(s.identity()).isNotBlank();
        assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void badValuesAreBadInputNamingTheFlag() {
        assertThatThrownBy(() -> parse("--listen", "tcp:10.0.0.1:6653").listenTarget())
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("use ptcp:PORT[:IP] or pssl:PORT[:IP]");
        assertThatThrownBy(() -> parse("--listen", "ptcp:x").listenTarget())
                .isInstanceOf(BadInput.class)
                .hasMessageStartingWith("--listen: bad switch target 'ptcp:x'");
        assertThatThrownBy(
                        () -> parse("--listen", "pssl:6653").switchSource(Optional.empty(), ConnectionConfig.DEFAULT))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("needs --tls-key, --tls-cert and --tls-ca");
        TlsConfig tls = new TlsConfig(Path.of("k.pem"), Path.of("c.pem"), Path.of("ca.pem"));
        assertThatThrownBy(
                        () -> parse("--listen", "ptcp:6653").switchSource(Optional.of(tls), ConnectionConfig.DEFAULT))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("are for pssl:");
        assertThatThrownBy(() -> parse("--listen", "ptcp:6653", "--renew-deadline", "20s")
                        .leaseSettings())
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("must be longer than the renew deadline");
        assertThatThrownBy(() ->
                        parse("--listen", "ptcp:6653", "--retry-period", "2").leaseSettings())
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("--retry-period must look like");
    }

    @Test
    void plaintextNeedsTheExplicitFlagAndAnAddressAndTheFlagIsOnlyForPlaintext() throws Exception {
        assertThatThrownBy(() -> parse("--listen", "ptcp:6653:127.0.0.1")
                        .switchSource(Optional.empty(), ConnectionConfig.DEFAULT))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("prove nothing")
                .hasMessageContaining("--allow-unauthenticated-switches");
        assertThatThrownBy(() -> parse("--listen", "ptcp:6653", "--allow-unauthenticated-switches")
                        .switchSource(Optional.empty(), ConnectionConfig.DEFAULT))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("must name the address to bind (ptcp:PORT:IP)");
        TlsConfig tls = new TlsConfig(Path.of("k.pem"), Path.of("c.pem"), Path.of("ca.pem"));
        assertThatThrownBy(() -> parse("--listen", "pssl:6653", "--allow-unauthenticated-switches")
                        .switchSource(Optional.of(tls), ConnectionConfig.DEFAULT))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("is for ptcp:");
        try (var source = parse("--listen", "ptcp:0:127.0.0.1", "--allow-unauthenticated-switches")
                .switchSource(Optional.empty(), ConnectionConfig.DEFAULT)) {
            assertThat(source).isNotNull();
        }
    }

    @Test
    void theHandshakeLimitsAreCheckedAsBadInput() {
        assertThatThrownBy(() -> parse(
                                "--listen",
                                "ptcp:0:127.0.0.1",
                                "--allow-unauthenticated-switches",
                                "--max-handshakes",
                                "4",
                                "--max-handshakes-per-address",
                                "5")
                        .switchSource(Optional.empty(), ConnectionConfig.DEFAULT))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("the second at most the first");
        assertThatThrownBy(() -> parse(
                                "--listen",
                                "ptcp:0:127.0.0.1",
                                "--allow-unauthenticated-switches",
                                "--handshake-timeout",
                                "0s")
                        .switchSource(Optional.empty(), ConnectionConfig.DEFAULT))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("--handshake-timeout must be positive");
    }
}
