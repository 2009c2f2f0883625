package io.ovsanp.controller.cli;

import java.net.InetSocketAddress;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-address}: where {@code /metrics}, {@code /healthz} and {@code /readyz} are served,
 * over plain HTTP without authentication (README, "Metrics and health": what they reveal). The default,
 * every interface, is what a pod needs: kubelet's probes and Prometheus reach it on its pod IP; a
 * process on a host network should name its address (docs/decisions.md, "Deploy"). A picocli mixin
 * for {@code ovs-anp run} ({@code @Mixin OpsOptions ops;}).
 */
public final class OpsOptions {
    @Option(
            names = "--metrics-address",
            defaultValue = ":9090",
            paramLabel = "[HOST]:PORT|none",
            description = "Address of /metrics, /healthz and /readyz: plain HTTP, unauthenticated, read-only"
                    + " (default :9090, every interface); 'none' serves nothing.")
    String metricsAddress = ":9090";

    /** The address to bind, or empty for {@code none}. */
    public Optional<InetSocketAddress> metricsAddress() throws BadInput {
        return parse(metricsAddress);
    }

    /** {@code :9090}, {@code 0.0.0.0:9090}, {@code 127.0.0.1:0}, {@code [::1]:9090}, {@code none}. */
    static Optional<InetSocketAddress> parse(String text) throws BadInput {
        String t = text == null ? "" : text.trim();
        if (t.equals("none")) {
            return Optional.empty();
        }
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            throw new BadInput("--metrics-address: '" + text + "' is not [HOST]:PORT or none");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new BadInput("--metrics-address: put an IPv6 address in brackets: [" + host + "]:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BadInput("--metrics-address: '" + t.substring(colon + 1) + "' is not a port number");
        }
        if (port < 0 || port > 65535) {
            throw new BadInput("--metrics-address: port " + port + " is outside 0..65535");
        }
        return Optional.of(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
    }
}
