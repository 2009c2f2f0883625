package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class OpsOptionsTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        OpsOptions ops;
    }

    private static OpsOptions parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.ops;
    }

    @Test
    void defaultServesEveryInterfaceOn9090() throws Exception {
        InetSocketAddress a = parse().metricsAddress().orElseThrow();
        assertThat(a.getPort()).isEqualTo(9090);
        assertThat(a.getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void hostPortIpv6AndNoneAreRead() throws Exception {
        InetSocketAddress a =
                parse("--metrics-address", "127.0.0.1:0").metricsAddress().orElseThrow();
        assertThat(a.getHostString()).isEqualTo("127.0.0.1");
        assertThat(a.getPort()).isZero();
        assertThat(parse("--metrics-address=[::1]:9091")
                        .metricsAddress()
                        .orElseThrow()
                        .getPort())
                .isEqualTo(9091);
        assertThat(parse("--metrics-address=none").metricsAddress()).isEmpty();
    }

    @Test
    void badAddressesNameTheFlag() {
        assertThatThrownBy(() -> parse("--metrics-address=9090").metricsAddress())
                .isInstanceOf(BadInput.class)
                .hasMessageStartingWith("--metrics-address");
        assertThatThrownBy(() -> parse("--metrics-address=:http").metricsAddress())
                .hasMessageContaining("not a port number");
        assertThatThrownBy(() -> parse("--metrics-address=::1:9090").metricsAddress())
                .hasMessageContaining("brackets");
        assertThatThrownBy(() -> parse("--metrics-address=:70000").metricsAddress())
                .hasMessageContaining("outside 0..65535");
    }
}
