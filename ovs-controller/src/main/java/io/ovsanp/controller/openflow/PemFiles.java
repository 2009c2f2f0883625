package io.ovsanp.controller.openflow;

import io.ovsanp.controller.errors.UserMessages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM keys and certificates without extra libraries. Keys: unencrypted PKCS#8 ({@code BEGIN
 * PRIVATE KEY}, what OpenSSL 3 and so {@code ovs-pki} write) and PKCS#1 RSA ({@code BEGIN RSA
 * PRIVATE KEY}, older OpenSSL), which is wrapped into PKCS#8 here (RFC 5208 §5, RFC 8017 A.1.2).
 */
final class PemFiles {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }, DER. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    private PemFiles() {}

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    static List<X509Certificate> certificates(Path file) {
        String pem = read(file);
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs =
                    f.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1))).stream()
                            .map(c -> (X509Certificate) c)
                            .toList();
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + file);
            }
            return certs;
        } catch (CertificateException e) {
            // The JDK's parser messages name its own classes; say what was expected instead.
            throw new IllegalArgumentException(
                    "cannot read certificates from " + file + ": "
                            + UserMessages.userText(e).orElse("not a PEM (BEGIN CERTIFICATE) file"),
                    e);
        }
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    static PrivateKey privateKey(Path file) {
        Matcher m = BLOCK.matcher(read(file));
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot decode the private key in " + file + ": bad base64", e);
            }
            if (type.equals("PRIVATE KEY")) {
                return pkcs8(der, file);
            }
            if (type.equals("RSA PRIVATE KEY")) {
                return pkcs8(wrapRsa(der), file);
            }
            throw new IllegalArgumentException("unsupported key type '" + type + "' in " + file
                    + ": convert it with 'openssl pkcs8 -topk8 -nocrypt'");
        }
        throw new IllegalArgumentException("no PEM private key in " + file);
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException("cannot decode the private key in " + file + " (RSA, EC, Ed25519)");
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
    static byte[] wrapRsa(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    /**
     * The file as text. Read as ISO-8859-1, where every byte is a character, so a binary file is "no
     * PEM block in it" rather than a decoding failure; PEM itself is ASCII.
     */
    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + UserMessages.ioReason(e), e);
        }
    }
}
