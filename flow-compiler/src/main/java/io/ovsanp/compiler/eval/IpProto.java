package io.ovsanp.compiler.eval;

import io.ovsanp.compiler.policy.Protocol;
import java.util.Optional;

/**
 * The IP protocol of a packet: the IPv4 protocol field or the IPv6 next header, 0..255. Only TCP, UDP
 * and SCTP carry a destination port that policy {@code ports} can match; every other protocol (ICMP
 * included) is matched only by rules without ports.
 */
public record IpProto(int number) {
    public static final IpProto ICMP = new IpProto(1);
    public static final IpProto TCP = new IpProto(6);
    public static final IpProto UDP = new IpProto(17);
    public static final IpProto ICMPV6 = new IpProto(58);
    public static final IpProto SCTP = new IpProto(132);

    public IpProto {
        if (number < 0 || number > 255) {
            throw new IllegalArgumentException("IP protocol number out of range: " + number);
        }
    }

    public static IpProto of(Protocol protocol) {
        return new IpProto(protocol.number());
    }

    /** Any other protocol by number, e.g. {@code other(47)} for GRE. */
    public static IpProto other(int number) {
        return new IpProto(number);
    }

    /** The port-carrying protocol this is, if any. */
    public Optional<Protocol> transport() {
        return Protocol.fromNumber(number);
    }

    public boolean hasPorts() {
        return transport().isPresent();
    }

    public boolean isIcmp() {
        return number == ICMP.number || number == ICMPV6.number;
    }

    @Override
    public String toString() {
        if (number == ICMP.number) {
            return "icmp";
        }
        if (number == ICMPV6.number) {
            return "icmpv6";
        }
        return transport().map(Protocol::ofctlName).orElse("proto " + number);
    }
}
