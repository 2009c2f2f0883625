package io.ovsanp.controller.central;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.controller.central.SwitchMapping.Held;
import io.ovsanp.controller.central.SwitchMapping.Mapped;
import io.ovsanp.controller.central.SwitchMapping.Outcome;
import io.ovsanp.controller.central.SwitchMapping.Proof;
import io.ovsanp.controller.central.SwitchMapping.Refused;
import io.ovsanp.controller.central.SwitchMapping.Switch;
import io.ovsanp.controller.openflow.PeerIdentity;
import io.ovsanp.controller.openflow.wire.DatapathId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SwitchMappingTest {
    private static final String ANNOTATION = NodeInfo.DATAPATH_ID_ANNOTATION + " annotation";

    private static NodeInfo node(String name, String ip) {
        return new NodeInfo(name, Map.of(), List.of(IpAddress.parse(ip)));
    }

    private static NodeInfo node(String name, String ip, String dpid) {
        return new NodeInfo(name, Map.of(), List.of(IpAddress.parse(ip)), Optional.of(dpid));
    }

    private static Switch<String> sw(String key, long dpid, String ip, long seq) {
        return new Switch<>(key, new DatapathId(dpid), Optional.of(IpAddress.parse(ip)), seq);
    }

    private static Map<String, Outcome> resolve(List<NodeInfo> nodes, List<Switch<String>> switches) {
        return SwitchMapping.resolve(nodes, switches, Map.of(), Proof.UNAUTHENTICATED);
    }

    private static Switch<String> certified(String key, long dpid, String ip, long seq, String... certNodes) {
        PeerIdentity peer = new PeerIdentity("CN=test", Set.of(certNodes));
        return new Switch<>(key, new DatapathId(dpid), Optional.of(IpAddress.parse(ip)), seq, Optional.of(peer));
    }

    private static Map<String, Outcome> certify(
            List<NodeInfo> nodes, List<Switch<String>> switches, Map<String, String> incumbents) {
        return SwitchMapping.resolve(nodes, switches, incumbents, Proof.CERTIFICATE);
    }

    @Test
    void theAnnotationMapsTheSwitchWhateverItsSourceAddress() {
        var out = resolve(
                List.of(node("a", "10.0.0.1", "0x0000000000000A01"), node("b", "10.0.0.2")),
                List.of(sw("s", 0xa01, "192.0.2.7", 0)));
        assertThat(out).containsExactly(Map.entry("s", new Mapped("a", ANNOTATION)));
    }

    @Test
    void withoutAnAnnotationTheSourceAddressMapsTheSwitch() {
        var out =
                resolve(List.of(node("a", "10.0.0.1"), node("b", "10.0.0.2")), List.of(sw("s", 0xb02, "10.0.0.2", 0)));
        assertThat(out).containsExactly(Map.entry("s", new Mapped("b", "source address 10.0.0.2")));
    }

    @Test
    void aSwitchNoNodeAccountsForIsHeld() {
        var out = resolve(List.of(node("a", "10.0.0.1")), List.of(sw("s", 0xa01, "192.0.2.7", 0)));
        assertThat(out.get("s")).isInstanceOf(Held.class);
        assertThat(((Held) out.get("s")).reason())
                .isEqualTo("no node has the annotation ovs-anp.io/datapath-id=0000000000000a01 and no node has the"
                        + " address 192.0.2.7");
    }

    @Test
    void twoNodesNamingTheSameDatapathIdAreRefused() {
        var out = resolve(
                List.of(node("a", "10.0.0.1", "0000000000000a01"), node("b", "10.0.0.2", "00:00:00:00:00:00:0a:01")),
                List.of(sw("s", 0xa01, "10.0.0.1", 0)));
        assertThat(((Held) out.get("s")).reason()).contains("several nodes: a, b");
    }

    @Test
    void anAnnotationContradictedByTheSourceAddressIsRefused() {
        var out = resolve(
                List.of(node("a", "10.0.0.1", "0000000000000a01"), node("b", "10.0.0.2")),
                List.of(sw("s", 0xa01, "10.0.0.2", 0)));
        assertThat(((Refused) out.get("s")).reason())
                .contains("node a's ovs-anp.io/datapath-id annotation names datapath id 0000000000000a01")
                .contains("10.0.0.2, an address of node b");
    }

    @Test
    void aSourceAddressOfANodeWhoseAnnotationNamesAnotherSwitchIsRefused() {
        // br-ex of node a dialling the controller too: the annotation says a's br-int is a01.
        var out = resolve(
                List.of(node("a", "10.0.0.1", "0000000000000a01")),
                List.of(sw("int", 0xa01, "10.0.0.1", 0), sw("ex", 0xe01, "10.0.0.1", 1)));
        assertThat(out.get("int")).isEqualTo(new Mapped("a", ANNOTATION));
        assertThat(((Refused) out.get("ex")).reason()).contains("annotation names datapath id 0000000000000a01");
    }

    @Test
    void anUnreadableAnnotationBlocksTheAddressFallbackToo() {
        var out = resolve(List.of(node("a", "10.0.0.1", "a01")), List.of(sw("s", 0xa01, "10.0.0.1", 0)));
        assertThat(((Held) out.get("s")).reason()).contains("annotation is not a datapath id");
    }

    @Test
    void anAddressSharedByTwoNodesIsRefused() {
        var out =
                resolve(List.of(node("a", "10.0.0.1"), node("b", "10.0.0.1")), List.of(sw("s", 0xa01, "10.0.0.1", 0)));
        assertThat(((Held) out.get("s")).reason()).contains("several nodes: a, b");
    }

    @Test
    void ofTwoUnauthenticatedSwitchesOfOneNodeTheEarlierKeepsItAndTheLaterIsRefused() {
        var out = resolve(
                List.of(node("a", "10.0.0.1")),
                List.of(sw("later", 0xa02, "10.0.0.1", 1), sw("earlier", 0xa01, "10.0.0.1", 0)));
        assertThat(out.get("earlier")).isEqualTo(new Mapped("a", "source address 10.0.0.1"));
        assertThat(((Refused) out.get("later")).reason())
                .contains("node a is already switch 0000000000000a01 from 10.0.0.1")
                .contains("never displaces");
    }

    @Test
    void anUnauthenticatedClaimOfAnEstablishedSwitchsDatapathIdNeverDisplacesIt() {
        // The impostor arrives later from the node's own address with the same datapath id: the switch
        // that holds the node keeps it, whatever the arrival order says.
        var nodes = List.of(node("a", "10.0.0.1", "0000000000000a01"));
        var out = SwitchMapping.resolve(
                nodes,
                List.of(sw("real", 0xa01, "10.0.0.1", 3), sw("impostor", 0xa01, "10.0.0.1", 7)),
                Map.of("a", "real"),
                Proof.UNAUTHENTICATED);
        assertThat(out.get("real")).isEqualTo(new Mapped("a", ANNOTATION));
        assertThat(out.get("impostor")).isInstanceOf(Refused.class);
        // ... and when the incumbent is the later arrival (it reconnected after an impostor appeared)
        out = SwitchMapping.resolve(
                nodes,
                List.of(sw("impostor", 0xa01, "192.0.2.9", 1), sw("real", 0xa01, "10.0.0.1", 2)),
                Map.of("a", "real"),
                Proof.UNAUTHENTICATED);
        assertThat(out.get("real")).isEqualTo(new Mapped("a", ANNOTATION));
        assertThat(out.get("impostor")).isInstanceOf(Refused.class);
    }

    @Test
    void theSameDatapathIdFromTwoAddressesMappedByAnnotationGoesToTheEarlier() {
        var out = resolve(
                List.of(node("a", "10.0.0.1", "0000000000000a01")),
                List.of(sw("s2", 0xa01, "192.0.2.2", 1), sw("s1", 0xa01, "192.0.2.1", 0)));
        assertThat(out.get("s1")).isEqualTo(new Mapped("a", ANNOTATION));
        assertThat(out.get("s2")).isInstanceOf(Refused.class);
    }

    @Test
    void unauthenticatedAReconnectedSwitchWaitsForItsOldConnectionToClose() {
        var out = resolve(
                List.of(node("a", "10.0.0.1")),
                List.of(sw("new", 0xa01, "10.0.0.1", 5), sw("old", 0xa01, "10.0.0.1", 2)));
        assertThat(out.get("old")).isEqualTo(new Mapped("a", "source address 10.0.0.1"));
        assertThat(out.get("new")).isInstanceOf(Refused.class);
        out = resolve(List.of(node("a", "10.0.0.1")), List.of(sw("new", 0xa01, "10.0.0.1", 5)));
        assertThat(out.get("new")).isEqualTo(new Mapped("a", "source address 10.0.0.1"));
    }

    @Test
    void aCertificateMapsTheSwitchToTheNodeItNamesWhateverItsAddress() {
        var out = certify(
                List.of(node("a", "10.0.0.1"), node("b", "10.0.0.2")),
                List.of(certified("s", 0xa01, "10.0.0.2", 0, "a")),
                Map.of());
        assertThat(out).containsExactly(Map.entry("s", new Mapped("a", "certificate ovs-anp-node:a")));
    }

    @Test
    void aCertificateAndTheNodesAnnotationMustAgree() {
        var nodes = List.of(node("a", "10.0.0.1", "0000000000000a01"), node("b", "10.0.0.2"));
        assertThat(certify(nodes, List.of(certified("s", 0xa01, "10.0.0.1", 0, "a")), Map.of())
                        .get("s"))
                .isEqualTo(new Mapped("a", "certificate ovs-anp-node:a and " + ANNOTATION));
        // a's own annotation names another switch
        assertThat(((Refused) certify(nodes, List.of(certified("s", 0xbad, "10.0.0.1", 0, "a")), Map.of())
                                .get("s"))
                        .reason())
                .contains("whose ovs-anp.io/datapath-id annotation names datapath id 0000000000000a01, not"
                        + " 0000000000000bad");
        // b's certificate claiming the datapath id a's annotation names
        assertThat(((Refused) certify(nodes, List.of(certified("s", 0xa01, "10.0.0.1", 0, "b")), Map.of())
                                .get("s"))
                        .reason())
                .contains("its certificate names node b but datapath id 0000000000000a01 is node a's");
    }

    @Test
    void anotherNodesCertificateClaimingAConnectedSwitchsDatapathIdIsRefused() {
        var nodes = List.of(node("a", "10.0.0.1"), node("b", "10.0.0.2"));
        var out = certify(
                nodes,
                List.of(certified("real", 0xa01, "10.0.0.1", 0, "a"), certified("impostor", 0xa01, "10.0.0.2", 1, "b")),
                Map.of("a", "real"));
        assertThat(out.get("real")).isEqualTo(new Mapped("a", "certificate ovs-anp-node:a"));
        assertThat(((Refused) out.get("impostor")).reason())
                .contains("datapath id 0000000000000a01 is held by node a's connected switch");
    }

    @Test
    void aCertificateThatNamesNoNodeOrSeveralIsRefusedAndAnUnknownNodeIsHeld() {
        var nodes = List.of(node("a", "10.0.0.1"), node("b", "10.0.0.2"));
        var out = certify(
                nodes,
                List.of(
                        certified("none", 0x1, "10.0.0.1", 0),
                        certified("two", 0x2, "10.0.0.1", 1, "a", "b"),
                        certified("unknown", 0x3, "10.0.0.1", 2, "c"),
                        new Switch<>("plain", new DatapathId(4), Optional.empty(), 3)),
                Map.of());
        assertThat(((Refused) out.get("none")).reason())
                .contains("names no node")
                .contains("ovs-anp-node:<node>");
        assertThat(((Refused) out.get("two")).reason()).contains("must name one node");
        assertThat(((Held) out.get("unknown")).reason()).contains("names node c, which is not in the cluster");
        assertThat(((Refused) out.get("plain")).reason()).contains("no TLS certificate");
    }

    @Test
    void withACertificateTheSameSwitchReconnectingTakesOverAndAnotherDatapathIdDoesNot() {
        var nodes = List.of(node("a", "10.0.0.1"));
        var out = certify(
                nodes,
                List.of(
                        certified("old", 0xa01, "10.0.0.1", 0, "a"),
                        certified("new", 0xa01, "10.0.0.1", 2, "a"),
                        certified("br-ex", 0xe01, "10.0.0.1", 3, "a")),
                Map.of("a", "old"));
        assertThat(out.get("new")).isEqualTo(new Mapped("a", "certificate ovs-anp-node:a"));
        assertThat(((Refused) out.get("old")).reason()).startsWith("superseded by a newer connection");
        assertThat(((Refused) out.get("br-ex")).reason())
                .contains("node a is already switch 0000000000000a01")
                .contains("another datapath id with node a's certificate");
    }

    @Test
    void withACertificateAndNoHolderTheEarliestDatapathIdWins() {
        var out = certify(
                List.of(node("a", "10.0.0.1")),
                List.of(certified("x", 0xe01, "10.0.0.1", 4, "a"), certified("y", 0xa01, "10.0.0.1", 1, "a")),
                Map.of());
        assertThat(out.get("y")).isInstanceOf(Mapped.class);
        assertThat(out.get("x")).isInstanceOf(Refused.class);
    }

    @Test
    void aSwitchWithoutAKnownSourceAddressIsMappedOnlyByAnnotation() {
        var unknown = new Switch<>("s", new DatapathId(0xa01), Optional.empty(), 0);
        assertThat(resolve(List.of(node("a", "10.0.0.1")), List.of(unknown)).get("s"))
                .isInstanceOf(Held.class);
        assertThat(resolve(List.of(node("a", "10.0.0.1", "0000000000000a01")), List.of(unknown))
                        .get("s"))
                .isEqualTo(new Mapped("a", ANNOTATION));
    }

    @Test
    void remoteTextsGiveTheirAddress() {
        assertThat(CentralSwitchSource.ipOfRemote("tcp:10.0.0.1:40000")).contains(IpAddress.parse("10.0.0.1"));
        assertThat(CentralSwitchSource.ipOfRemote("ssl:[fd00::1]:40000")).contains(IpAddress.parse("fd00::1"));
        assertThat(CentralSwitchSource.ipOfRemote("tcp:[::ffff:10.0.0.1]:1")).contains(IpAddress.parse("10.0.0.1"));
        assertThat(CentralSwitchSource.ipOfRemote("unix:/run/x.mgmt")).isEmpty();
    }
}
