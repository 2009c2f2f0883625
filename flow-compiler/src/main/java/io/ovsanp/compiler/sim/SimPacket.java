package io.ovsanp.compiler.sim;

import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.ofctl.CtStates;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A packet as the simulator sees it: the header fields the flow model can match, the metadata
 * (in_port, registers, conj_id) and the conntrack fields. {@code postCtState} is the state the
 * packet gets from {@code ct(table=…)}, since the simulator has no connection table.
 *
 * @param ethType Ethernet type
 * @param src IP source; null unless {@code ethType} is IPv4/IPv6
 * @param dst IP destination; null unless {@code ethType} is IPv4/IPv6
 * @param ipProto IP protocol, -1 for a non-IP packet
 * @param tpDst transport destination port, -1 unless the protocol is TCP, UDP or SCTP
 * @param inPort OpenFlow 1.3 ingress port (default 1)
 * @param ctState current ct_state (0 = untracked, as before any ct action)
 * @param ctZone current ct_zone
 * @param ctMark current ct_mark
 * @param postCtState the ct_state a {@code ct(table=…)} recirculation sees (default {@code +trk+new})
 * @param regs reg0..reg7, unsigned 32-bit each
 * @param conjId the conj_id field: 0 except inside OVS's nested conjunction lookup
 */
public record SimPacket(
        int ethType,
        IpAddress src,
        IpAddress dst,
        int ipProto,
        int tpDst,
        long inPort,
        int ctState,
        int ctZone,
        long ctMark,
        int postCtState,
        List<Long> regs,
        long conjId) {

    public static final long DEFAULT_IN_PORT = 1;
    public static final int DEFAULT_POST_CT_STATE = CtStates.TRK | CtStates.NEW;
    private static final List<Long> ZERO_REGS = Collections.nCopies(8, 0L);

    public SimPacket {
        regs = List.copyOf(regs);
        boolean ip = ethType == 0x0800 || ethType == 0x86dd;
        if (ethType < 0 || ethType > 0xffff) {
            throw new IllegalArgumentException("eth type out of range: " + ethType);
        }
        if (ip) {
            IpFamily family = ethType == 0x0800 ? IpFamily.V4 : IpFamily.V6;
            if (src == null || dst == null || src.family() != family || dst.family() != family) {
                throw new IllegalArgumentException("an " + family + " packet needs " + family + " src and dst");
            }
            if (ipProto < 0 || ipProto > 255) {
                throw new IllegalArgumentException("ip proto out of range: " + ipProto);
            }
        } else if (src != null || dst != null || ipProto != -1) {
            throw new IllegalArgumentException("a non-IP packet has no addresses or ip proto");
        }
        boolean ports = ip && (ipProto == 6 || ipProto == 17 || ipProto == 132);
        if (ports ? tpDst < 0 || tpDst > 0xffff : tpDst != -1) {
            throw new IllegalArgumentException("tp_dst " + tpDst + " does not fit protocol " + ipProto);
        }
        if (regs.size() != 8 || regs.stream().anyMatch(r -> r < 0 || r > 0xffff_ffffL)) {
            throw new IllegalArgumentException("need 8 unsigned 32-bit registers: " + regs);
        }
        if ((ctState & ~0xff) != 0 || (postCtState & ~0xff) != 0) {
            throw new IllegalArgumentException("ct_state has 8 bits");
        }
    }

    /** An IP packet; {@code tpDst} is ignored (-1) unless the protocol is TCP, UDP or SCTP. */
    public static SimPacket ip(String src, String dst, int ipProto, int tpDst) {
        IpAddress s = IpAddress.parse(src);
        int eth = s.family().ethType();
        boolean ports = ipProto == 6 || ipProto == 17 || ipProto == 132;
        return new SimPacket(
                eth,
                s,
                IpAddress.parse(dst),
                ipProto,
                ports ? tpDst : -1,
                DEFAULT_IN_PORT,
                0,
                0,
                0,
                DEFAULT_POST_CT_STATE,
                ZERO_REGS,
                0);
    }

    public static SimPacket tcp(String src, String dst, int port) {
        return ip(src, dst, 6, port);
    }

    public static SimPacket udp(String src, String dst, int port) {
        return ip(src, dst, 17, port);
    }

    /** ICMP for IPv4 sources, ICMPv6 for IPv6 ones. */
    public static SimPacket icmp(String src, String dst) {
        return ip(src, dst, IpAddress.parse(src).family() == IpFamily.V4 ? 1 : 58, -1);
    }

    /** A non-IP frame such as ARP (0x0806). */
    public static SimPacket ethernet(int ethType) {
        return new SimPacket(
                ethType, null, null, -1, -1, DEFAULT_IN_PORT, 0, 0, 0, DEFAULT_POST_CT_STATE, ZERO_REGS, 0);
    }

    public SimPacket withInPort(long port) {
        return new SimPacket(
                ethType, src, dst, ipProto, tpDst, port, ctState, ctZone, ctMark, postCtState, regs, conjId);
    }

    /** The state {@code ct(table=…)} will give, e.g. {@code "+trk+est"} or {@code "+trk+inv"}. */
    public SimPacket withPostCtState(String flags) {
        return withPostCtState(CtStates.parseState(flags));
    }

    public SimPacket withPostCtState(int state) {
        return new SimPacket(ethType, src, dst, ipProto, tpDst, inPort, ctState, ctZone, ctMark, state, regs, conjId);
    }

    public SimPacket withConntrack(int state, int zone, long mark) {
        return new SimPacket(ethType, src, dst, ipProto, tpDst, inPort, state, zone, mark, postCtState, regs, conjId);
    }

    public SimPacket withReg(int n, long value) {
        List<Long> r = new ArrayList<>(regs);
        r.set(n, value);
        return new SimPacket(
                ethType, src, dst, ipProto, tpDst, inPort, ctState, ctZone, ctMark, postCtState, r, conjId);
    }

    static final int ICMPV6_ECHO_REQUEST = 128;

    public SimPacket withConjId(long id) {
        return new SimPacket(ethType, src, dst, ipProto, tpDst, inPort, ctState, ctZone, ctMark, postCtState, regs, id);
    }

    /** The value of {@code f}, or empty when the packet has no such field (tp_dst of ICMP, nw_src of ARP...). */
    public Optional<BigInteger> value(Field f) {
        boolean v4 = ethType == 0x0800;
        boolean v6 = ethType == 0x86dd;
        switch (f) {
            case CONJ_ID:
                return big(conjId);
            case CT_STATE:
                return big(ctState);
            case CT_ZONE:
                return big(ctZone);
            case CT_MARK:
                return big(ctMark);
            case IN_PORT:
                return big(inPort);
            case ETH_TYPE:
                return big(ethType);
            case IP_PROTO:
                return v4 || v6 ? big(ipProto) : Optional.empty();
            case IPV4_SRC:
                return v4 ? Optional.of(src.toBigInteger()) : Optional.empty();
            case IPV4_DST:
                return v4 ? Optional.of(dst.toBigInteger()) : Optional.empty();
            case IPV6_SRC:
                return v6 ? Optional.of(src.toBigInteger()) : Optional.empty();
            case IPV6_DST:
                return v6 ? Optional.of(dst.toBigInteger()) : Optional.empty();
            case TP_DST:
                return tpDst >= 0 ? big(tpDst) : Optional.empty();
            case TP_SRC:
                // A simulated packet opens a connection: its source port is any, and only the DNS
                // interception flows (established replies) match one.
                return Optional.empty();
            case ICMPV6_TYPE:
                // Simulated packets open connections: an ICMPv6 packet is an echo request, never
                // neighbour discovery (which the classifier passes before any policy).
                return v6 && ipProto == 58 ? big(ICMPV6_ECHO_REQUEST) : Optional.empty();
            default:
                if (f.name().startsWith("REG")) {
                    return big(regs.get(f.ordinal() - Field.REG0.ordinal()));
                }
                throw new AssertionError("unhandled field " + f);
        }
    }

    private static Optional<BigInteger> big(long v) {
        return Optional.of(BigInteger.valueOf(v));
    }
}
