package io.ovsanp.controller.testing;

import io.ovsanp.testkit.Command;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates made by the {@code openssl} CLI for a test, in the shape {@code ovs-pki} makes them:
 * a self-signed CA, and RSA leaf certificates it signs (v3, CA:FALSE), keys as unencrypted PEM.
 */
public final class TestPki {
    private TestPki() {}

    /** A CA named {@code name}: {@code dir/name-ca.key} and {@code dir/name-ca.pem}. */
    public static Path ca(Path dir, String name) {
        Path key = dir.resolve(name + "-ca.key");
        Path cert = dir.resolve(name + "-ca.pem");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=" + name + " test CA");
        return cert;
    }

    /** A leaf {@code name} signed by the CA at {@code caCert}: {@code dir/name.key}, {@code dir/name.pem}. */
    public static Path leaf(Path dir, Path caCert, String name) {
        return leaf(dir, caCert, name, "/CN=" + name);
    }

    /**
     * The certificate of node {@code node}'s switch as deploy/pki/ovs-anp-pki.sh makes it (URI SAN
     * {@code ovs-anp-node:NODE}), named {@code name}: {@code dir/name.key}, {@code dir/name.pem}.
     */
    public static Path nodeLeaf(Path dir, Path caCert, String name, String node) {
        return leaf(dir, caCert, name, "/CN=" + name, "-addext", "subjectAltName=URI:ovs-anp-node:" + node);
    }

    /** A leaf with the subject {@code subject} and more {@code openssl req} arguments (e.g. -addext). */
    public static Path leaf(Path dir, Path caCert, String name, String subject, String... more) {
        Path caKey = Path.of(caCert.toString().replace(".pem", ".key"));
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".pem");
        List<String> args = new ArrayList<>(List.of(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                subject,
                "-CA",
                caCert.toString(),
                "-CAkey",
                caKey.toString(),
                "-addext",
                "basicConstraints=critical,CA:FALSE"));
        args.addAll(List.of(more));
        openssl(args.toArray(String[]::new));
        return cert;
    }

    public static String openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        return Command.of(command).runOrThrow().stdout();
    }
}
