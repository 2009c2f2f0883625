package io.ovsanp.compiler.ofctl;

import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import java.util.Optional;

/**
 * A packet as the flow argument of {@code ovs-appctl ofproto/trace}, the first packet of its connection
 * (the trace resumes every {@code ct(table=…)} with {@code ct_state=new|trk} unless told otherwise).
 * The prerequisites come first ({@code tcp}, {@code ipv6}, …) because OVS reads the fields in order;
 * OVS 3.1 accepts {@code tp_dst} only for TCP, so UDP and SCTP say {@code udp_dst}/{@code sctp_dst}.
 */
public final class TraceFlows {
    private TraceFlows() {}

    /** {@code p} entering on any port, its source recognised by address. */
    public static String of(Packet p) {
        boolean v6 = p.src().family() == IpFamily.V6;
        String addrs = v6 ? "ipv6_src=" + p.src() + ",ipv6_dst=" + p.dst() : "nw_src=" + p.src() + ",nw_dst=" + p.dst();
        String six = v6 ? "6" : "";
        if (p.proto().isIcmp()) {
            return "icmp" + six + "," + addrs;
        }
        String proto = p.proto().transport().orElseThrow().ofctlName();
        String port = proto.equals("tcp") ? "tp_dst" : proto + "_dst";
        return proto + six + "," + addrs + "," + port + "=" + p.dstPort();
    }

    /**
     * {@code p} with {@code inPort} (an OpenFlow port number or name) when given, else with register
     * {@code identityRegister} holding {@code identity} (the pod's IPv4 address, what a CNI's spoof guard
     * would have loaded for the pod's port) when both are given.
     */
    public static String of(
            Packet p, Optional<String> inPort, Optional<Integer> identityRegister, Optional<IpAddress> identity) {
        StringBuilder spec = new StringBuilder(of(p));
        if (inPort.isPresent()) {
            spec.append(",in_port=").append(inPort.get());
        } else if (identityRegister.isPresent() && identity.isPresent()) {
            spec.append(",reg")
                    .append(identityRegister.get())
                    .append("=0x")
                    .append(Long.toHexString(identity.get().toBigInteger().longValue()));
        }
        return spec.toString();
    }
}
