package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.eval.ConnectionVerdict;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp explain}: the verdict for one connection and the rules that decide it. The first line
 * is the combined verdict (a connection is allowed only when the source's egress side and the
 * destination's ingress side both allow it); then each side's decision with its deciding tier, policy
 * and rule, and the steps taken. With {@code -o json} one document with the same parts.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = "Explain the verdict for a connection from a pod to an IP or a pod: the first word is ALLOW"
                + " or DENY (both sides), then the egress decision (at the source's node) and the ingress"
                + " decision (at the destination pod's node).")
final class ExplainCommand extends CliCommand {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    ServiceVipOptions serviceVips;

    @Mixin
    OutputOptions output;

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

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        boolean json = output.json();
        String[] ns = podName(from, "--from");
        Optional<IpAddress> toIp = IpAddress.tryParse(to);
        String[] toPod = toIp.isPresent() ? null : podName(to, "--to");
        String protoName = proto.toLowerCase(Locale.ROOT);
        boolean icmp = protoName.equals("icmp") || protoName.equals("icmpv6") || protoName.equals("icmp6");
        Optional<Protocol> transport = Protocol.fromApi(protoName.toUpperCase(Locale.ROOT));
        if (!icmp && transport.isEmpty()) {
            throw new BadInput("--proto must be tcp, udp, sctp or icmp, not " + proto);
        }
        if (!icmp && (port < 1 || port > 65535)) {
            throw new BadInput("--port 1..65535 is required with --proto " + protoName);
        }
        ServiceVips vips = serviceVips.value();
        ClusterSnapshot snapshot = cluster.load();
        PodInfo pod = snapshot.pod(ns[0], ns[1])
                .orElseThrow(() -> new BadInput("pod " + from + " is not in the snapshot (or has no IP yet)"));
        List<IpAddress> destination;
        if (toIp.isPresent()) {
            destination = List.of(toIp.get());
        } else {
            PodInfo target = snapshot.pod(toPod[0], toPod[1])
                    .orElseThrow(() -> new BadInput("pod " + to + " is not in the snapshot (or has no IP yet)"));
            destination = target.ips();
        }
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        report(policies.diagnostics(), false); // stderr: the JSON document carries them as well
        ConnectionProbe.Port dport =
                icmp ? ConnectionProbe.Port.icmp() : ConnectionProbe.Port.of(transport.get(), port);
        ConnectionProbe.Result r = new ConnectionProbe(snapshot, policies, vips)
                .judge(pod, destination, dport)
                .orElseThrow(() -> toIp.isPresent()
                        ? new BadInput("pod " + from + " has no " + toIp.get().family() + " address")
                        : new BadInput("pods " + from + " and " + to + " share no address family"));
        IpAddress src = r.src();
        IpAddress dst = r.dst();
        ConnectionVerdict v = r.verdict();
        String egressNode = r.egressNode();
        String ingressNode = r.ingressNode();
        if (json) {
            Map<String, Object> connection = new LinkedHashMap<>();
            connection.put("from", from);
            connection.put("to", to);
            connection.put("source", src.toString());
            connection.put("destination", dst.toString());
            connection.put("protocol", icmp ? "icmp" : protoName);
            connection.put("port", icmp ? null : port);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("verdict", v.allowed() ? "ALLOW" : "DENY");
            doc.put("summary", headline(v));
            doc.put("connection", connection);
            doc.put("egress", JsonOutput.verdict(v.egress(), egressNode));
            doc.put("ingress", JsonOutput.verdict(v.ingress(), ingressNode));
            doc.put("diagnostics", JsonOutput.diagnostics(policies.diagnostics()));
            out().print(JsonOutput.write(doc));
            return Main.EXIT_OK;
        }
        out().println(headline(v));
        side("egress: ", "at the source's node " + egressNode, v.egress());
        side("ingress:", ingressNode.isEmpty() ? "" : "at the destination's node " + ingressNode, v.ingress());
        return Main.EXIT_OK;
    }

    /** {@code ALLOW}, or {@code DENY} with the side that denies: the line scripts read the first word of. */
    static String headline(ConnectionVerdict v) {
        if (v.allowed()) {
            return "ALLOW (egress and ingress allow)";
        }
        if (!v.egress().allowed() && !v.ingress().allowed()) {
            return "DENY (egress and ingress deny)";
        }
        return !v.egress().allowed() ? "DENY (egress denies)" : "DENY (ingress denies)";
    }

    private void side(String label, String where, Verdict v) {
        out().println(label + " " + v.describe() + (where.isEmpty() ? "" : " [" + where + "]"));
        for (String step : v.trace()) {
            out().println("  " + step);
        }
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
