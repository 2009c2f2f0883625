package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ovs-anp explain}: the verdict for one connection and the rule that decides it. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = "Explain the verdict for a connection from a pod to an IP. The first word is ALLOW or DENY.")
final class ExplainCommand extends CliCommand {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    ServiceVipOptions serviceVips;

    @Option(names = "--from", required = true, paramLabel = "NAMESPACE/POD", description = "Source pod.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "IP", description = "Destination IP address.")
    String to;

    @Option(names = "--proto", defaultValue = "tcp", description = "tcp (default), udp, sctp or icmp.")
    String proto;

    @Option(names = "--port", defaultValue = "0", description = "Destination port (tcp/udp/sctp).")
    int port;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        String[] ns = from.split("/", -1);
        if (ns.length != 2 || ns[0].isEmpty() || ns[1].isEmpty()) {
            throw new BadInput("--from must be NAMESPACE/POD, not " + from);
        }
        IpAddress dst = IpAddress.tryParse(to).orElseThrow(() -> new BadInput("--to is not an IP address: " + to));
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
        IpAddress src = pod.ips().stream()
                .filter(ip -> ip.family() == dst.family())
                .findFirst()
                .orElseThrow(() -> new BadInput("pod " + from + " has no " + dst.family() + " address"));
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        report(policies.diagnostics(), false);
        Packet packet = icmp ? Packet.icmp(src, dst) : Packet.of(src, dst, transport.get(), port);
        Verdict v = new Evaluator(snapshot, policies, vips).evaluate(packet);
        out().println(v.describe());
        for (String step : v.trace()) {
            out().println("  " + step);
        }
        ingressNote(snapshot, dst).ifPresent(out()::println);
        return Main.EXIT_OK;
    }

    /**
     * When the destination is a pod: a line saying its ingress side is not evaluated (the verdict above
     * is the egress decision), naming the policies whose ingress rules select it and are therefore not
     * enforced. Nothing for a destination that is not a pod (it has no ingress side).
     */
    static Optional<String> ingressNote(ClusterSnapshot snapshot, IpAddress dst) {
        Optional<PodInfo> target = snapshot.pods().stream()
                .filter(p -> !p.hostNetwork() && p.ips().contains(dst))
                .findFirst();
        if (target.isEmpty()) {
            return Optional.empty();
        }
        PodInfo pod = target.get();
        Selection selection = new Selection(snapshot);
        List<String> unenforced = new ArrayList<>();
        for (AdminPolicy p : snapshot.adminPolicies()) {
            if (p.ingressRuleCount() > 0
                    && selection.podMatches(
                            pod, p.subject().namespaceSelector(), p.subject().podSelector())) {
                unenforced.add(p.ref().display() + " (" + p.ingressRuleCount() + " ingress rule(s))");
            }
        }
        String head = "ingress at the destination pod " + pod.key()
                + " is not evaluated: ovs-anp enforces egress only, the verdict above is the egress decision";
        return Optional.of(
                unenforced.isEmpty() ? head : head + "; NOT ENFORCED there: " + String.join(", ", unenforced));
    }
}
