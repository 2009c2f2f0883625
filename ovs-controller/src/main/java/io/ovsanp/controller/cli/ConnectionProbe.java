package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.dns.ResolverState;
import io.ovsanp.compiler.eval.ConnectionVerdict;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Protocol;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One connection from a pod judged the way {@code explain} judges it: the source and destination
 * addresses picked by one rule, the packet built from them, and the reference {@link Evaluator}'s
 * verdict of both sides. {@code explain} and {@code matrix} both go through here, so a matrix cell
 * cannot disagree with {@code explain} about the addresses or the evaluation.
 */
final class ConnectionProbe {
    private final Evaluator evaluator;

    ConnectionProbe(ClusterSnapshot snapshot, EffectivePolicies policies, ServiceVips serviceVips) {
        this(snapshot, policies, serviceVips, ResolverState.EMPTY);
    }

    /** {@code resolved}: what names resolved to, for {@code domainNames} peers ({@code explain --resolved}). */
    ConnectionProbe(
            ClusterSnapshot snapshot, EffectivePolicies policies, ServiceVips serviceVips, ResolverState resolved) {
        this.evaluator = new Evaluator(snapshot, policies, serviceVips, resolved);
    }

    /** A destination port: {@code transport} empty for an ICMP echo request (port 0). */
    record Port(Optional<Protocol> transport, int port) {
        Port {
            Objects.requireNonNull(transport, "transport");
        }

        static Port icmp() {
            return new Port(Optional.empty(), 0);
        }

        static Port of(Protocol protocol, int port) {
            return new Port(Optional.of(protocol), port);
        }

        Packet packet(IpAddress src, IpAddress dst) {
            return transport.isEmpty() ? Packet.icmp(src, dst) : Packet.of(src, dst, transport.get(), port);
        }

        /** {@code tcp/80}, {@code icmp}. */
        @Override
        public String toString() {
            return transport.map(p -> p.ofctlName() + "/" + port).orElse("icmp");
        }
    }

    /** What was judged and the verdict; the nodes are where each side is enforced ("" when none). */
    record Result(
            IpAddress src,
            IpAddress dst,
            Packet packet,
            ConnectionVerdict verdict,
            String egressNode,
            String ingressNode) {}

    /**
     * The packet from {@code from} to one of {@code destination}'s addresses: the first address of
     * {@code from} (in its own order) whose family {@code destination} has, to {@code destination}'s
     * first address of that family. A pod destination passes its IPs, an IP destination itself. Empty
     * when they share no family. {@code explain}, {@code trace} and {@code matrix} all pick so.
     */
    static Optional<Packet> packet(PodInfo from, List<IpAddress> destination, Port port) {
        Optional<IpAddress> src = from.ips().stream()
                .filter(ip -> destination.stream().anyMatch(d -> d.family() == ip.family()))
                .findFirst();
        if (src.isEmpty()) {
            return Optional.empty();
        }
        IpAddress dst = destination.stream()
                .filter(d -> d.family() == src.get().family())
                .findFirst()
                .orElseThrow();
        return Optional.of(port.packet(src.get(), dst));
    }

    /** The connection {@link #packet} picks, judged; empty when they share no family. */
    Optional<Result> judge(PodInfo from, List<IpAddress> destination, Port port) {
        return packet(from, destination, port).map(p -> judge(from, p));
    }

    /** {@code packet}, sent by {@code from}, judged on both sides. */
    Result judge(PodInfo from, Packet packet) {
        ConnectionVerdict v = evaluator.evaluateConnection(packet);
        // the pod the evaluator judged as the destination
        String ingressNode = evaluator.matcher().podsWithIp(packet.dst()).stream()
                .findFirst()
                .map(PodInfo::nodeName)
                .orElse("");
        return new Result(packet.src(), packet.dst(), packet, v, from.nodeName(), ingressNode);
    }
}
