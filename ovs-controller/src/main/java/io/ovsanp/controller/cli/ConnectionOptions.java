package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Protocol;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --from NS/POD --to IP|NS/POD [--proto P] [--port N]}: one connection's first packet, as
 * {@code explain} judges it and {@code trace} sends it through a switch; one reading for both so that
 * they speak of the same packet.
 */
final class ConnectionOptions {
    @Option(names = "--from", required = true, paramLabel = "NAMESPACE/POD", description = "Source pod.")
    String from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "IP|NAMESPACE/POD",
            description = "Destination IP address, or a pod (its address of the source's family).")
    String to;

    @Option(names = "--proto", defaultValue = "tcp", description = "tcp (default), udp, sctp or icmp.")
    String proto;

    @Option(names = "--port", defaultValue = "0", description = "Destination port (tcp/udp/sctp).")
    int port;

    /** The connection in the snapshot: the source pod, its packet, and the protocol as given. */
    record Connection(PodInfo source, Packet packet, String protocol, boolean icmp) {}

    /** The {@code connection} object of the JSON documents: the flags as given and the packet they make. */
    Map<String, Object> json(Connection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("to", to);
        m.put("source", c.packet().src().toString());
        m.put("destination", c.packet().dst().toString());
        m.put("protocol", c.protocol());
        m.put("port", c.icmp() ? null : c.packet().dstPort());
        return m;
    }

    /** Checks the flags without the snapshot, so a typo is reported before anything is read. */
    void check() throws BadInput {
        podName(from, "--from");
        if (IpAddress.tryParse(to).isEmpty()) podName(to, "--to");
        protocol();
    }

    Connection resolve(ClusterSnapshot snapshot) throws BadInput {
        String[] ns = podName(from, "--from");
        Optional<IpAddress> toIp = IpAddress.tryParse(to);
        Optional<Protocol> transport = protocol();
        String protoName = proto.toLowerCase(Locale.ROOT);
        ConnectionProbe.Port dport =
                transport.isEmpty() ? ConnectionProbe.Port.icmp() : ConnectionProbe.Port.of(transport.get(), port);
        PodInfo pod = snapshot.pod(ns[0], ns[1])
                .orElseThrow(() -> new BadInput("pod " + from + " is not in the snapshot (or has no IP yet)"));
        Packet packet;
        if (toIp.isPresent()) {
            packet = ConnectionProbe.packet(pod, List.of(toIp.get()), dport)
                    .orElseThrow(() ->
                            new BadInput("pod " + from + " has no " + toIp.get().family() + " address"));
        } else {
            String[] toPod = podName(to, "--to");
            PodInfo target = snapshot.pod(toPod[0], toPod[1])
                    .orElseThrow(() -> new BadInput("pod " + to + " is not in the snapshot (or has no IP yet)"));
            packet = ConnectionProbe.packet(pod, target.ips(), dport)
                    .orElseThrow(() -> new BadInput("pods " + from + " and " + to + " share no address family"));
        }
        return new Connection(pod, packet, transport.isEmpty() ? "icmp" : protoName, transport.isEmpty());
    }

    /** The transport protocol, empty for ICMP; bad input for anything else or a missing port. */
    private Optional<Protocol> protocol() throws BadInput {
        String protoName = proto.toLowerCase(Locale.ROOT);
        boolean icmp = protoName.equals("icmp") || protoName.equals("icmpv6") || protoName.equals("icmp6");
        Optional<Protocol> transport = Protocol.fromApi(protoName.toUpperCase(Locale.ROOT));
        if (!icmp && transport.isEmpty()) {
            throw new BadInput("--proto must be tcp, udp, sctp or icmp, not " + proto);
        }
        if (!icmp && (port < 1 || port > 65535)) {
            throw new BadInput("--port 1..65535 is required with --proto " + protoName);
        }
        return icmp ? Optional.empty() : transport;
    }

    private static String[] podName(String text, String flag) throws BadInput {
        String[] ns = text.split("/", -1);
        if (ns.length != 2 || ns[0].isEmpty() || ns[1].isEmpty()) {
            throw new BadInput(flag + " must be NAMESPACE/POD" + (flag.equals("--to") ? " or an IP address" : "")
                    + ", not " + text);
        }
        return ns;
    }
}
