package io.ovsanp.controller.central;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.controller.central.SwitchMapping.Held;
import io.ovsanp.controller.central.SwitchMapping.Mapped;
import io.ovsanp.controller.central.SwitchMapping.Outcome;
import io.ovsanp.controller.central.SwitchMapping.Switch;
import io.ovsanp.controller.openflow.wire.DatapathId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        return SwitchMapping.resolve(nodes, switches);
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
        assertThat(((Held) out.get("s")).reason())
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
        assertThat(((Held) out.get("ex")).reason()).contains("annotation names datapath id 0000000000000a01");
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
    void twoSwitchesOfOneNodeAreBothRefused() {
        var out = resolve(
                List.of(node("a", "10.0.0.1")),
                List.of(sw("s1", 0xa01, "10.0.0.1", 0), sw("s2", 0xa02, "10.0.0.1", 1)));
        assertThat(out.values()).allSatisfy(o -> assertThat(o).isInstanceOf(Held.class));
        assertThat(((Held) out.get("s1")).reason()).contains("several switches map to node a");
    }

    @Test
    void theSameDatapathIdFromTwoAddressesMappedByAnnotationIsRefused() {
        var out = resolve(
                List.of(node("a", "10.0.0.1", "0000000000000a01")),
                List.of(sw("s1", 0xa01, "192.0.2.1", 0), sw("s2", 0xa01, "192.0.2.2", 1)));
        assertThat(out.values()).allSatisfy(o -> assertThat(o).isInstanceOf(Held.class));
    }

    @Test
    void aReconnectedSwitchSupersedesItsOlderConnection() {
        var out = resolve(
                List.of(node("a", "10.0.0.1")),
                List.of(sw("new", 0xa01, "10.0.0.1", 5), sw("old", 0xa01, "10.0.0.1", 2)));
        assertThat(out.get("new")).isEqualTo(new Mapped("a", "source address 10.0.0.1"));
        assertThat(((Held) out.get("old")).reason()).startsWith("superseded");
    }

    @Test
    void aSwitchWithoutAKnownSourceAddressIsMappedOnlyByAnnotation() {
        var unknown = new Switch<>("s", new DatapathId(0xa01), Optional.empty(), 0);
        assertThat(SwitchMapping.resolve(List.of(node("a", "10.0.0.1")), List.of(unknown))
                        .get("s"))
                .isInstanceOf(Held.class);
        assertThat(SwitchMapping.resolve(List.of(node("a", "10.0.0.1", "0000000000000a01")), List.of(unknown))
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
