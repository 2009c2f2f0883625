package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.eval.Fixture.EXTERNAL;
import static io.ovsanp.compiler.eval.Fixture.EXTERNAL6;
import static io.ovsanp.compiler.eval.Fixture.WEB;
import static io.ovsanp.compiler.eval.Fixture.WEB6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.policy.Protocol;
import org.junit.jupiter.api.Test;

class PacketTest {

    @Test
    void sourceAndDestinationMustBeOfOneFamily() {
        assertThatThrownBy(() -> Packet.tcp(WEB, EXTERNAL6, 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mixed address families");
    }

    @Test
    void protocolsWithoutPortsCarryPortZero() {
        assertThatThrownBy(() -> new Packet(WEB, EXTERNAL, IpProto.ICMP, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Packet.icmp(WEB, EXTERNAL).dstPort()).isZero();
    }

    @Test
    void portsAreSixteenBits() {
        assertThatThrownBy(() -> Packet.udp(WEB, EXTERNAL, 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Packet.udp(WEB, EXTERNAL, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void icmpIsIcmpv6ForIpv6() {
        assertThat(Packet.icmp(WEB, EXTERNAL).proto()).isEqualTo(IpProto.ICMP);
        assertThat(Packet.icmp(WEB6, EXTERNAL6).proto()).isEqualTo(IpProto.ICMPV6);
        assertThat(IpProto.ICMPV6.isIcmp()).isTrue();
    }

    @Test
    void onlyTcpUdpAndSctpHavePorts() {
        assertThat(IpProto.of(Protocol.SCTP).transport()).contains(Protocol.SCTP);
        assertThat(IpProto.ICMP.hasPorts()).isFalse();
        assertThat(IpProto.other(47).hasPorts()).isFalse();
        assertThatThrownBy(() -> IpProto.other(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packetPrintsAsSourceArrowDestinationProtocolAndPort() {
        assertThat(Packet.tcp(WEB, EXTERNAL, 443)).hasToString("10.0.1.1 -> 203.0.113.7 tcp/443");
        assertThat(Packet.icmp(WEB6, EXTERNAL6)).hasToString("fd00::1:1 -> 2001:db8::7 icmpv6");
        assertThat(new Packet(WEB, EXTERNAL, IpProto.other(47), 0)).hasToString("10.0.1.1 -> 203.0.113.7 proto 47");
    }
}
