package io.ovsanp.controller.audit;

import io.ovsanp.compiler.net.IpAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The addresses, protocol and ports of a copied frame: Ethernet (with up to two VLAN tags), then IPv4
 * or IPv6 (skipping hop-by-hop, routing and destination-options headers), then the TCP/UDP/SCTP
 * ports or the ICMP type and code. A frame cut short by the copy's {@code max_len}, or not IP, gives
 * empty: the line is then not written, as it could not name the connection. A fragment after the
 * first (IPv4 offset, or IPv6 fragment header, not zero) carries no transport header: its protocol is
 * the one it carries and its ports are -1. {@code payloadAt} is where the TCP or UDP payload starts in
 * the frame (the DNS interception reads the message there), -1 for other protocols and fragments.
 */
public record FrameHeaders(IpAddress src, IpAddress dst, int protocol, int srcPort, int dstPort, int payloadAt) {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;
    public static final int SCTP = 132;

    private static final int ETH_IPV4 = 0x0800;
    private static final int ETH_IPV6 = 0x86dd;
    private static final int ETH_VLAN = 0x8100;
    private static final int ETH_QINQ = 0x88a8;

    /** Headers without a known payload offset. */
    public FrameHeaders(IpAddress src, IpAddress dst, int protocol, int srcPort, int dstPort) {
        this(src, dst, protocol, srcPort, dstPort, -1);
    }

    /** The protocol as the policy API names it ({@code TCP}, {@code UDP}, {@code SCTP}), else by name or number. */
    public String protocolName() {
        return switch (protocol) {
            case TCP -> "TCP";
            case UDP -> "UDP";
            case SCTP -> "SCTP";
            case ICMP -> "ICMP";
            case ICMPV6 -> "ICMPv6";
            default -> "IP/" + protocol;
        };
    }

    /**
     * Whether {@link #srcPort()} and {@link #dstPort()} are ports (else ICMP type and code, zero for
     * another protocol, or -1 in a later fragment).
     */
    public boolean hasPorts() {
        return (protocol == TCP || protocol == UDP || protocol == SCTP) && dstPort >= 0;
    }

    public static Optional<FrameHeaders> parse(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        if (b.remaining() < 14) return Optional.empty();
        b.position(12);
        int type = Short.toUnsignedInt(b.getShort());
        for (int tags = 0; (type == ETH_VLAN || type == ETH_QINQ) && tags < 2; tags++) {
            if (b.remaining() < 4) return Optional.empty();
            b.getShort();
            type = Short.toUnsignedInt(b.getShort());
        }
        if (type == ETH_IPV4) return ipv4(b);
        if (type == ETH_IPV6) return ipv6(b);
        return Optional.empty();
    }

    private static Optional<FrameHeaders> ipv4(ByteBuffer b) {
        int start = b.position();
        if (b.remaining() < 20) return Optional.empty();
        int ihl = (b.get(start) & 0x0f) * 4;
        int fragment = Short.toUnsignedInt(b.getShort(start + 6)) & 0x1fff;
        int protocol = Byte.toUnsignedInt(b.get(start + 9));
        IpAddress src = IpAddress.v4(b.getInt(start + 12));
        IpAddress dst = IpAddress.v4(b.getInt(start + 16));
        if (ihl < 20) return Optional.empty();
        // A later fragment carries no transport header: name the connection without ports.
        if (fragment != 0) return Optional.of(new FrameHeaders(src, dst, protocol, -1, -1));
        return transport(b, start + ihl, src, dst, protocol);
    }

    private static Optional<FrameHeaders> ipv6(ByteBuffer b) {
        int start = b.position();
        if (b.remaining() < 40) return Optional.empty();
        int next = Byte.toUnsignedInt(b.get(start + 6));
        IpAddress src = IpAddress.v6(b.getLong(start + 8), b.getLong(start + 16));
        IpAddress dst = IpAddress.v6(b.getLong(start + 24), b.getLong(start + 32));
        int at = start + 40;
        // hop-by-hop (0), routing (43), destination options (60): length in 8-byte units after the first 8
        for (int i = 0; i < 8 && (next == 0 || next == 43 || next == 60); i++) {
            if (b.limit() < at + 2) return Optional.empty();
            int following = Byte.toUnsignedInt(b.get(at));
            at += 8 + Byte.toUnsignedInt(b.get(at + 1)) * 8;
            next = following;
        }
        if (next == 44) { // fragment header: next header, reserved, offset (13 bits) and flags, id
            if (b.limit() < at + 8) return Optional.empty();
            next = Byte.toUnsignedInt(b.get(at));
            int offset = Short.toUnsignedInt(b.getShort(at + 2)) >>> 3;
            if (offset != 0) return Optional.of(new FrameHeaders(src, dst, next, -1, -1));
            at += 8;
        }
        return transport(b, at, src, dst, next);
    }

    private static Optional<FrameHeaders> transport(ByteBuffer b, int at, IpAddress src, IpAddress dst, int protocol) {
        if (protocol == TCP || protocol == UDP || protocol == SCTP) {
            if (b.limit() < at + 4) return Optional.empty();
            int payloadAt = -1;
            if (protocol == UDP && b.limit() >= at + 8) {
                payloadAt = at + 8;
            } else if (protocol == TCP && b.limit() >= at + 13) {
                int dataOffset = (Byte.toUnsignedInt(b.get(at + 12)) >>> 4) * 4;
                if (dataOffset >= 20 && b.limit() >= at + dataOffset) payloadAt = at + dataOffset;
            }
            return Optional.of(new FrameHeaders(
                    src,
                    dst,
                    protocol,
                    Short.toUnsignedInt(b.getShort(at)),
                    Short.toUnsignedInt(b.getShort(at + 2)),
                    payloadAt));
        }
        if (protocol == ICMP || protocol == ICMPV6) {
            if (b.limit() < at + 2) return Optional.empty();
            return Optional.of(new FrameHeaders(
                    src, dst, protocol, Byte.toUnsignedInt(b.get(at)), Byte.toUnsignedInt(b.get(at + 1))));
        }
        return Optional.of(new FrameHeaders(src, dst, protocol, 0, 0));
    }
}
