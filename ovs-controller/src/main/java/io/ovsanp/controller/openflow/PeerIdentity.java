package io.ovsanp.controller.openflow;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who the peer of a TLS connection proved to be: the subject of the certificate it presented (which
 * the TLS handshake has already verified against our CA) and the Kubernetes nodes it names. A
 * certificate names node N with a URI subject alternative name {@code ovs-anp-node:N} (RFC 5280
 * §4.2.1.6, type 6) or a subject common name {@code ovs-anp-node:N}; {@code deploy/pki/ovs-anp-pki.sh
 * node N} writes both. The prefix keeps any other certificate the CA signed (the controller's, an
 * ovs-pki switch certificate whose CN is a switch name) from naming a node by accident.
 *
 * @param subject the certificate's subject DN, for messages
 * @param nodes the node names the certificate names (normally one; several is a misissued
 *     certificate, which central mode refuses)
 */
public record PeerIdentity(String subject, Set<String> nodes) {
    /** The prefix of a node's name in a certificate's URI SAN or CN. */
    public static final String NODE_PREFIX = "ovs-anp-node:";

    private static final int URI_SAN = 6;

    public PeerIdentity {
        Objects.requireNonNull(subject);
        nodes = Set.copyOf(new TreeSet<>(nodes));
    }

    /** The identity in the peer's leaf certificate, or empty when the peer presented none. */
    public static Optional<PeerIdentity> of(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        return Optional.of(of(leaf));
    }

    /** The identity a certificate states; not checked against any CA here. */
    public static PeerIdentity of(X509Certificate certificate) {
        TreeSet<String> nodes = new TreeSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2
                            && Integer.valueOf(URI_SAN).equals(san.get(0))
                            && san.get(1) instanceof String uri) {
                        node(uri).ifPresent(nodes::add);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable SAN extension names nobody; the CN may still
        }
        String subject = certificate.getSubjectX500Principal().getName();
        commonNames(subject).forEach(cn -> node(cn).ifPresent(nodes::add));
        return new PeerIdentity(subject, nodes);
    }

    /** The one node named, if exactly one is. */
    public Optional<String> node() {
        return nodes.size() == 1 ? Optional.of(nodes.iterator().next()) : Optional.empty();
    }

    /** {@code certificate "CN=..." (names node a)} for messages. */
    public String describe() {
        return "certificate \"" + subject + "\""
                + (nodes.isEmpty() ? " (names no node)" : " (names node " + String.join(", ", nodes) + ")");
    }

    /** {@code N} of {@code ovs-anp-node:N}, case-insensitive in the prefix; empty for anything else. */
    static Optional<String> node(String text) {
        if (text.length() <= NODE_PREFIX.length()
                || !text.substring(0, NODE_PREFIX.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(NODE_PREFIX)) {
            return Optional.empty();
        }
        String name = text.substring(NODE_PREFIX.length());
        return isNodeName(name) ? Optional.of(name) : Optional.empty();
    }

    /** A DNS subdomain (RFC 1123), as Kubernetes requires of a Node's name. */
    static boolean isNodeName(String name) {
        return name.length() <= 253 && name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    }

    private static List<String> commonNames(String subjectDn) {
        try {
            return new LdapName(subjectDn)
                    .getRdns().stream()
                            .filter(r -> r.getType().equalsIgnoreCase("CN"))
                            .map(Rdn::getValue)
                            .map(String::valueOf)
                            .toList();
        } catch (InvalidNameException e) {
            return List.of();
        }
    }
}
