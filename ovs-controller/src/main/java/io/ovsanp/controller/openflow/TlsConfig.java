package io.ovsanp.controller.openflow;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.ovsanp.controller.errors.UserMessages;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The PEM files of an OVS-style PKI, as {@code ovs-vsctl set-ssl PRIVATE-KEY CERTIFICATE
 * CA-CERT} takes them: our key, our certificate (optionally followed by its chain) and the CA
 * certificate(s) a peer's certificate must chain to. Both directions require and verify the peer's
 * certificate, as OVS does; like OVS, no host name is checked, since OVS certificates name a switch
 * or controller, not a host (ovs-pki(8)).
 */
public record TlsConfig(Path privateKey, Path certificate, Path caCertificate) {
    public TlsConfig {
        Objects.requireNonNull(privateKey);
        Objects.requireNonNull(certificate);
        Objects.requireNonNull(caCertificate);
    }

    /**
     * Reads and parses the three files now, as a context build would, so that a missing, unreadable
     * or malformed file is reported when a command starts rather than at its first connection.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public void check() {
        build(false);
    }

    /** For {@code ssl:} targets: we dial, present our certificate, verify the switch's. */
    public SslContext clientContext() {
        return build(false);
    }

    /** For {@code pssl:} targets: switches dial us and must present a certificate from the CA. */
    public SslContext serverContext() {
        return build(true);
    }

    private SslContext build(boolean server) {
        PrivateKey key = PemFiles.privateKey(privateKey);
        List<X509Certificate> chain = PemFiles.certificates(certificate);
        X509Certificate[] trusted = PemFiles.certificates(caCertificate).toArray(X509Certificate[]::new);
        X509Certificate[] ours = chain.toArray(X509Certificate[]::new);
        SslContextBuilder b = server
                ? SslContextBuilder.forServer(key, ours).clientAuth(ClientAuth.REQUIRE)
                : SslContextBuilder.forClient().keyManager(key, ours).endpointIdentificationAlgorithm(null);
        try {
            return b.trustManager(trusted).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot use " + privateKey + ", " + certificate + " and " + caCertificate + " for TLS: "
                            + UserMessages.userText(e).orElse("the key does not fit the certificate"),
                    e);
        }
    }
}
