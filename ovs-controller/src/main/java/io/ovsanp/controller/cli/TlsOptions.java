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

    /** Whether any of the three flags was given. */
    boolean given() {
        return tlsKey != null || tlsCert != null || tlsCa != null;
    }

    /**
     * The three files, or empty when none is given; {@link BadInput} when only some are, or when one
     * cannot be read as what its flag says (checked now, not at the first connection, so that a bad
     * file stops the command at once with a message naming the flag and the file).
     */
    Optional<TlsConfig> tls() throws BadInput {
        if (!given()) {
            return Optional.empty();
        }
        if (tlsKey == null || tlsCert == null || tlsCa == null) {
            throw new BadInput("--tls-key, --tls-cert and --tls-ca go together");
        }
        TlsConfig config = new TlsConfig(tlsKey, tlsCert, tlsCa);
        try {
            config.check();
        } catch (IllegalArgumentException e) {
            throw new BadInput("--tls-key, --tls-cert, --tls-ca: " + e.getMessage());
        }
        return Optional.of(config);
    }
}
