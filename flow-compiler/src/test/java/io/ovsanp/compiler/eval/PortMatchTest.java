package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.eval.Fixture.CLIENT;
import static io.ovsanp.compiler.eval.Fixture.CONTROL_PLANE;
import static io.ovsanp.compiler.eval.Fixture.DB;
import static io.ovsanp.compiler.eval.Fixture.EXTERNAL;
import static io.ovsanp.compiler.eval.Fixture.WEB;
import static io.ovsanp.compiler.eval.Fixture.evaluate;
import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.labels;
import static io.ovsanp.compiler.testing.TestClusters.networkPolicy;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.testing.AdminPolicyBuilder;
import org.junit.jupiter.api.Test;

class PortMatchTest {

    private static boolean allowed(AdminPolicyBuilder anp, Packet p) {
        return evaluate(policies().admin(anp), p).allowed();
    }

    @Test
    void portNumberMatchesItsProtocolAndPortOnly() {
        AdminPolicyBuilder deny = anp("deny", 1).deny("", r -> r.udp(53));

        assertThat(allowed(deny, Packet.udp(WEB, DB, 53))).isFalse();
        assertThat(allowed(deny, Packet.tcp(WEB, DB, 53))).isTrue();
        assertThat(allowed(deny, Packet.udp(WEB, DB, 54))).isTrue();
        assertThat(allowed(deny, Packet.sctp(WEB, DB, 53))).isTrue();
    }

    @Test
    void portRangeIsInclusive() {
        AdminPolicyBuilder deny = anp("deny", 1).deny("", r -> r.range(Protocol.TCP, 8000, 8080));

        assertThat(allowed(deny, Packet.tcp(WEB, EXTERNAL, 7999))).isTrue();
        assertThat(allowed(deny, Packet.tcp(WEB, EXTERNAL, 8000))).isFalse();
        assertThat(allowed(deny, Packet.tcp(WEB, EXTERNAL, 8080))).isFalse();
        assertThat(allowed(deny, Packet.tcp(WEB, EXTERNAL, 8081))).isTrue();
        assertThat(allowed(deny, Packet.udp(WEB, EXTERNAL, 8000))).isTrue();
    }

    @Test
    void rangeWithStartAfterEndMatchesNothing() {
        AdminPolicyBuilder deny = anp("deny", 1).deny("", r -> r.range(Protocol.TCP, 90, 80));

        assertThat(allowed(deny, Packet.tcp(WEB, EXTERNAL, 85))).isTrue();
    }

    @Test
    void portsNeverMatchIcmpOrOtherProtocols() {
        AdminPolicyBuilder denyPorts = anp("deny", 1)
                .deny(
                        "",
                        r -> r.range(Protocol.TCP, 1, 65535)
                                .range(Protocol.UDP, 1, 65535)
                                .range(Protocol.SCTP, 1, 65535)
                                .anyPort(Protocol.TCP));

        assertThat(allowed(denyPorts, Packet.icmp(WEB, EXTERNAL))).isTrue();
        assertThat(allowed(denyPorts, new Packet(WEB, EXTERNAL, IpProto.other(47), 0)))
                .isTrue();
        assertThat(allowed(denyPorts, Packet.tcp(WEB, EXTERNAL, 1))).isFalse();
    }

    @Test
    void ruleWithoutPortsMatchesIcmp() {
        AdminPolicyBuilder deny = anp("deny", 1).deny("", r -> r.toNetworks("0.0.0.0/0"));

        assertThat(allowed(deny, Packet.icmp(WEB, EXTERNAL))).isFalse();
    }

    @Test
    void namedPortResolvesPerDestinationPod() {
        // "http" is TCP 8080 on prod/web and TCP 9090 on prod/db.
        AdminPolicyBuilder deny =
                anp("deny-http", 1).deny("", r -> r.toNamespaces(labels()).named("http"));

        assertThat(allowed(deny, Packet.tcp(CLIENT, WEB, 8080))).isFalse();
        assertThat(allowed(deny, Packet.tcp(CLIENT, DB, 9090))).isFalse();
        assertThat(allowed(deny, Packet.tcp(CLIENT, WEB, 9090))).isTrue();
        assertThat(allowed(deny, Packet.tcp(CLIENT, DB, 8080))).isTrue();
    }

    @Test
    void unresolvedNamedPortMatchesNothing() {
        AdminPolicyBuilder deny = anp("deny", 1).deny("", r -> r.named("no-such-port"));

        assertThat(allowed(deny, Packet.tcp(CLIENT, WEB, 8080))).isTrue();
        assertThat(allowed(deny, Packet.tcp(CLIENT, EXTERNAL, 8080))).isTrue();
    }

    @Test
    void namedPortOfAHostNetworkPodResolvesToNothing() {
        AdminPolicyBuilder deny = anp("deny", 1).deny("", r -> r.named("metrics"));

        assertThat(allowed(deny, Packet.tcp(WEB, CONTROL_PLANE, 9100))).isTrue();
    }

    @Test
    void namedPortWithTheWrongProtocolDoesNotMatch() {
        // "dns" is UDP 53 on prod/db.
        AdminPolicyBuilder deny = anp("deny-dns", 1).deny("", r -> r.named("dns"));

        assertThat(allowed(deny, Packet.udp(WEB, DB, 53))).isFalse();
        assertThat(allowed(deny, Packet.tcp(WEB, DB, 53))).isTrue();
    }

    @Test
    void networkPolicyNamedPortNeedsTheContainerPortProtocolToAgree() {
        var tcpDns = policies().networkPolicy(networkPolicy("prod", "np").allow(r -> r.named("dns", Protocol.TCP)));
        var udpDns = policies().networkPolicy(networkPolicy("prod", "np").allow(r -> r.named("dns", Protocol.UDP)));

        assertThat(evaluate(tcpDns, Packet.udp(WEB, DB, 53)).allowed()).isFalse();
        assertThat(evaluate(tcpDns, Packet.tcp(WEB, DB, 53)).allowed()).isFalse();
        assertThat(evaluate(udpDns, Packet.udp(WEB, DB, 53)).allowed()).isTrue();
    }
}
