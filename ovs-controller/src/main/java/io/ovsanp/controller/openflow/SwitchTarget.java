package io.ovsanp.controller.openflow;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a switch is, in the {@code ovs-vsctl set-controller} syntax (ovs-vswitchd.conf.db(5),
 * Controller TABLE, "Core Features"; docs/ovs-notes.md §5.3). Active targets are dialled: {@code unix:PATH}
 * (usually {@code <rundir>/br-int.mgmt}), {@code tcp:HOST[:PORT]}, {@code ssl:HOST[:PORT]}.
 * Passive targets are listened on: {@code ptcp:[PORT][:IP]}, {@code pssl:[PORT][:IP]}. The port
 * defaults to 6653 as in OVS; IPv6 addresses go in brackets ({@code tcp:[::1]:6653}).
 */
public sealed interface SwitchTarget permits SwitchTarget.Unix, SwitchTarget.Tcp, SwitchTarget.Listen {
    /** The IANA OpenFlow port, OVS's default for every tcp/ssl target. */
    int DEFAULT_PORT = 6653;

    /** Whether we dial out ({@code unix:}, {@code tcp:}, {@code ssl:}) rather than listen. */
    boolean isActive();

    /** Whether the target is {@code ssl:} or {@code pssl:}, which need a {@link TlsConfig}. */
    boolean tls();

    /** A connected unix socket, e.g. the bridge's always-present management socket. */
    record Unix(Path path) implements SwitchTarget {
        public Unix {
            Objects.requireNonNull(path);
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        public boolean tls() {
            return false;
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /** {@code tcp:} or, with {@code tls}, {@code ssl:}. */
    record Tcp(String host, int port, boolean tls) implements SwitchTarget {
        public Tcp {
            Objects.requireNonNull(host);
            checkPort(port, false);
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        public String toString() {
            return (tls ? "ssl:" : "tcp:") + bracketed(host) + ":" + port;
        }
    }

    /** {@code ptcp:} or, with {@code tls}, {@code pssl:}; port 0 picks a free port; no ip: all addresses. */
    record Listen(int port, Optional<String> ip, boolean tls) implements SwitchTarget {
        public Listen {
            checkPort(port, true);
            Objects.requireNonNull(ip);
        }

        @Override
        public boolean isActive() {
            return false;
        }

        @Override
        public String toString() {
            return (tls ? "pssl:" : "ptcp:")
                    + port
                    + ip.map(a -> ":" + bracketed(a)).orElse("");
        }
    }

    /**
     * Parses a target.
     *
     * @throws IllegalArgumentException naming the problem and the accepted forms
     */
    static SwitchTarget parse(String text) {
        Objects.requireNonNull(text);
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? "" : text.substring(0, colon);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        try {
            switch (scheme) {
                case "unix" -> {
                    if (rest.isEmpty()) {
                        throw new IllegalArgumentException("unix: needs a socket path");
                    }
                    return new Unix(Path.of(rest));
                }
                case "tcp", "ssl" -> {
                    String[] hp = splitHostPort(rest);
                    if (hp[0].isEmpty()) {
                        throw new IllegalArgumentException(scheme + ": needs a host");
                    }
                    return new Tcp(hp[0], hp[1] == null ? DEFAULT_PORT : port(hp[1]), scheme.equals("ssl"));
                }
                case "ptcp", "pssl" -> {
                    int c = rest.indexOf(':');
                    String portText = c < 0 ? rest : rest.substring(0, c);
                    Optional<String> ip = c < 0 ? Optional.empty() : Optional.of(unbracket(rest.substring(c + 1)));
                    if (ip.isPresent() && ip.get().isEmpty()) {
                        throw new IllegalArgumentException("empty listen address");
                    }
                    return new Listen(portText.isEmpty() ? DEFAULT_PORT : port(portText), ip, scheme.equals("pssl"));
                }
                default ->
                    throw new IllegalArgumentException(
                            scheme.isEmpty() ? "no scheme" : "unsupported scheme '" + scheme + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "bad switch target '" + text + "': " + e.getMessage()
                            + " (expected unix:PATH, tcp:HOST[:PORT], ssl:HOST[:PORT], ptcp:[PORT][:IP] or"
                            + " pssl:[PORT][:IP])",
                    e);
        }
    }

    private static String[] splitHostPort(String s) {
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("unclosed '[' in the host");
            }
            String after = s.substring(end + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new IllegalArgumentException("unexpected '" + after + "' after the host");
            }
            return new String[] {s.substring(1, end), after.isEmpty() ? null : after.substring(1)};
        }
        int c = s.indexOf(':');
        if (c >= 0 && s.indexOf(':', c + 1) >= 0) {
            throw new IllegalArgumentException("an IPv6 address must be written in brackets");
        }
        return c < 0 ? new String[] {s, null} : new String[] {s.substring(0, c), s.substring(c + 1)};
    }

    private static String unbracket(String s) {
        return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }

    private static String bracketed(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static int port(String s) {
        int p;
        try {
            p = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + s + "' is not a number", e);
        }
        checkPort(p, true);
        return p;
    }

    private static void checkPort(int port, boolean zeroOk) {
        if (port < (zeroOk ? 0 : 1) || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " out of range");
        }
    }
}
