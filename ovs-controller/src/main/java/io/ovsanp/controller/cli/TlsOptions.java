package io.ovsanp.controller.cli;

import io.ovsanp.controller.openflow.TlsConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --tls-key}, {@code --tls-cert}, {@code --tls-ca}: the PEM files for {@code ssl:}/{@code pssl:}. */
final class TlsOptions {
    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key for ssl:/pssl: connections.")
    Path tlsKey;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate for ssl:/pssl: connections.")
    Path tlsCert;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "CA certificate the switch's must be signed by.")
    Path tlsCa;

    /** The three files, or empty when none is given; {@link BadInput} when only some are. */
    Optional<TlsConfig> tls() throws BadInput {
        if (tlsKey == null && tlsCert == null && tlsCa == null) {
            return Optional.empty();
        }
        if (tlsKey == null || tlsCert == null || tlsCa == null) {
            throw new BadInput("--tls-key, --tls-cert and --tls-ca go together");
        }
        return Optional.of(new TlsConfig(tlsKey, tlsCert, tlsCa));
    }
}
