package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.controller.testing.TestPki;
import io.ovsanp.testkit.Needs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM reading and TLS contexts from openssl-made files. */
class TlsConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needOpenssl() {
        Needs.command("openssl");
    }

    @Test
    void aPkcs1RsaKeyReadsAsTheSameKeyAsItsPkcs8Form() {
        Path traditional = dir.resolve("rsa1.key");
        Path pkcs8 = dir.resolve("rsa8.key");
        TestPki.openssl("genrsa", "-traditional", "-out", traditional.toString(), "2048");
        TestPki.openssl("pkcs8", "-topk8", "-nocrypt", "-in", traditional.toString(), "-out", pkcs8.toString());
        assertThat(readString(traditional)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(readString(pkcs8)).contains("BEGIN PRIVATE KEY");

        PrivateKey a = PemFiles.privateKey(traditional);
        PrivateKey b = PemFiles.privateKey(pkcs8);
        assertThat(a.getEncoded()).isEqualTo(b.getEncoded());
    }

    @Test
    void anEcKeyInPkcs8Reads() {
        Path ec = dir.resolve("ec.key");
        TestPki.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec.toString());
        assertThat(PemFiles.privateKey(ec).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void clientAndServerContextsBuildFromOneCa() {
        Path ca = TestPki.ca(dir, "a");
        Path cert = TestPki.leaf(dir, ca, "controller");
        TlsConfig tls = new TlsConfig(dir.resolve("controller.key"), cert, ca);
        assertThat(tls.clientContext().isClient()).isTrue();
        assertThat(tls.serverContext().isServer()).isTrue();
    }

    @Test
    void filesThatAreNotPemSayWhich() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "hello");
        assertThatThrownBy(() -> PemFiles.privateKey(junk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM private key in " + junk);
        assertThatThrownBy(() -> PemFiles.certificates(junk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(junk.toString());
        assertThatThrownBy(() -> PemFiles.privateKey(dir.resolve("missing.key")))
                .hasMessageContaining("missing.key");
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
