package io.ovsanp.compiler.eval;

import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.policy.Protocol;
import java.util.Objects;

/**
 * The first packet of an egress connection as policy sees it: source and destination IP of one
 * family, IP protocol and destination port ({@code 0} for protocols without ports).
 */
public record Packet(IpAddress src, IpAddress dst, IpProto proto, int dstPort) {
    public Packet {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(proto, "proto");
        if (src.family() != dst.family()) {
            throw new IllegalArgumentException("mixed address families: " + src + " -> " + dst);
        }
        if (proto.hasPorts() && (dstPort < 0 || dstPort > 65535)) {
            throw new IllegalArgumentException("port out of range: " + dstPort);
        }
        if (!proto.hasPorts() && dstPort != 0) {
            throw new IllegalArgumentException(proto + " has no ports, got " + dstPort);
        }
    }

    public static Packet of(IpAddress src, IpAddress dst, Protocol protocol, int dstPort) {
        return new Packet(src, dst, IpProto.of(protocol), dstPort);
    }

    public static Packet tcp(IpAddress src, IpAddress dst, int dstPort) {
        return of(src, dst, Protocol.TCP, dstPort);
    }

    public static Packet udp(IpAddress src, IpAddress dst, int dstPort) {
        return of(src, dst, Protocol.UDP, dstPort);
    }

    public static Packet sctp(IpAddress src, IpAddress dst, int dstPort) {
        return of(src, dst, Protocol.SCTP, dstPort);
    }

    /** An ICMP echo request: ICMP for IPv4, ICMPv6 for IPv6. */
    public static Packet icmp(IpAddress src, IpAddress dst) {
        boolean v4 = src.family() == IpFamily.V4;
        return new Packet(src, dst, v4 ? IpProto.ICMP : IpProto.ICMPV6, 0);
    }

    /** {@code 10.0.0.1 -> 10.0.0.2 tcp/80}, {@code 10.0.0.1 -> 10.0.0.2 icmp}. */
    @Override
    public String toString() {
        return src + " -> " + dst + " " + proto + (proto.hasPorts() ? "/" + dstPort : "");
    }
}
