package io.ovsanp.controller.audit;

import static io.ovsanp.controller.audit.Frames.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.net.IpAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameHeadersTest {
    @Test
    void ipv4UdpGivesAddressesAndPorts() {
        FrameHeaders h = FrameHeaders.parse(Frames.ipv4(ip(10, 244, 0, 1), ip(203, 0, 113, 5), 17, 40000, 53))
                .orElseThrow();
        assertThat(h)
                .isEqualTo(new FrameHeaders(
                        IpAddress.parse("10.244.0.1"), IpAddress.parse("203.0.113.5"), 17, 40000, 53, 14 + 20 + 8));
        assertThat(h.protocolName()).isEqualTo("UDP");
        assertThat(h.hasPorts()).isTrue();
    }

    @Test
    void icmpHasTypeAndCodeNotPorts() {
        FrameHeaders h = FrameHeaders.parse(Frames.ipv4(ip(10, 0, 0, 1), ip(10, 0, 0, 2), 1, 8, 0))
                .orElseThrow();
        assertThat(h.protocolName()).isEqualTo("ICMP");
        assertThat(h.hasPorts()).isFalse();
        assertThat(h.srcPort()).isEqualTo(8);
    }

    @Test
    void ipv6SkipsExtensionHeaders() {
        FrameHeaders h =
                FrameHeaders.parse(Frames.ipv6TcpWithOptions(1, 2, 1234, 443)).orElseThrow();
        assertThat(h.src()).isEqualTo(IpAddress.parse("fd00::1"));
        assertThat(h.dst()).isEqualTo(IpAddress.parse("fd00::2"));
        assertThat(h.protocolName()).isEqualTo("TCP");
        assertThat(h.dstPort()).isEqualTo(443);
    }

    @Test
    void aLaterIpv4FragmentNamesItsConnectionWithoutPorts() {
        byte[] frame = Frames.ipv4(ip(10, 0, 0, 1), ip(10, 0, 0, 2), 6, 1234, 443);
        frame[14 + 6] = 0x00; // flags 0, fragment offset 185 (x 8 bytes)
        frame[14 + 7] = (byte) 185;
        FrameHeaders h = FrameHeaders.parse(frame).orElseThrow();
        assertThat(h.protocolName()).isEqualTo("TCP");
        assertThat(h.hasPorts())
                .as("the bytes after its IP header are data, not ports")
                .isFalse();
    }

    @Test
    void ipv6FragmentsAreNamedByTheProtocolTheyCarry() {
        FrameHeaders first =
                FrameHeaders.parse(Frames.ipv6TcpFragment(1, 2, 1234, 443, 0)).orElseThrow();
        assertThat(first.protocolName()).isEqualTo("TCP");
        assertThat(first.hasPorts()).isTrue();
        assertThat(first.dstPort()).isEqualTo(443);

        FrameHeaders later =
                FrameHeaders.parse(Frames.ipv6TcpFragment(1, 2, 1234, 443, 185)).orElseThrow();
        assertThat(later.protocolName()).isEqualTo("TCP");
        assertThat(later.hasPorts()).isFalse();
        assertThat(later.dst()).isEqualTo(IpAddress.parse("fd00::2"));
    }

    @Test
    void truncatedOrNonIpFramesNameNoConnection() {
        byte[] udp = Frames.ipv4(ip(10, 0, 0, 1), ip(10, 0, 0, 2), 17, 1, 2);
        assertThat(FrameHeaders.parse(Arrays.copyOf(udp, 36))).isEmpty(); // cut inside the UDP ports
        assertThat(FrameHeaders.parse(Arrays.copyOf(udp, 20))).isEmpty();
        byte[] arp = udp.clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertThat(FrameHeaders.parse(arp)).isEmpty();
        assertThat(FrameHeaders.parse(new byte[0])).isEmpty();
    }
}
