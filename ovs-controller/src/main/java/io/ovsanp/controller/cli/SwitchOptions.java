package io.ovsanp.controller.cli;

import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --switch TARGET} and the TLS files for {@code ssl:} targets. */
final class SwitchOptions {
    @Option(
            names = "--switch",
            required = true,
            paramLabel = "TARGET",
            description = "unix:PATH (e.g. unix:/run/openvswitch/br-int.mgmt), tcp:HOST:PORT or ssl:HOST:PORT.")
    String target;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key for ssl: targets.")
    Path tlsKey;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate for ssl: targets.")
    Path tlsCert;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "CA certificate the switch's must be signed by.")
    Path tlsCa;

    @Option(names = "--timeout", defaultValue = "60s", description = "Per-request timeout (default 60s).")
    String timeout;

    SwitchTarget parsedTarget() throws BadInput {
        try {
            return SwitchTarget.parse(target);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--switch: " + e.getMessage());
        }
    }

    Optional<TlsConfig> tls() throws BadInput {
        if (tlsKey == null && tlsCert == null && tlsCa == null) {
            return Optional.empty();
        }
        if (tlsKey == null || tlsCert == null || tlsCa == null) {
            throw new BadInput("--tls-key, --tls-cert and --tls-ca go together");
        }
        return Optional.of(new TlsConfig(tlsKey, tlsCert, tlsCa));
    }

    Duration timeoutDuration() throws BadInput {
        return Durations.parse("--timeout", timeout);
    }
}
