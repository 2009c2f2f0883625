package io.ovsanp.it.ovs;

import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.net.IpFamily;

/** An evaluator packet as an {@code ofproto/trace} flow spec (ct state defaults to new|trk). */
public final class TraceSpecs {
    private TraceSpecs() {}

    public static String of(Packet p) {
        boolean v6 = p.src().family() == IpFamily.V6;
        String addrs = v6 ? "ipv6_src=" + p.src() + ",ipv6_dst=" + p.dst() : "nw_src=" + p.src() + ",nw_dst=" + p.dst();
        String six = v6 ? "6" : "";
        if (p.proto().isIcmp()) {
            return "icmp" + six + "," + addrs;
        }
        String proto = p.proto().transport().orElseThrow().ofctlName();
        // ofproto/trace accepts tp_dst only for TCP; udp_dst / sctp_dst for the others.
        String port = proto.equals("tcp") ? "tp_dst" : proto + "_dst";
        return proto + six + "," + addrs + "," + port + "=" + p.dstPort();
    }
}
