package io.ovsanp.controller.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.ListenerLimits;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.TlsConfig;
import io.ovsanp.controller.openflow.wire.DatapathId;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.run.SwitchSource;
import io.ovsanp.controller.testing.CapturedLog;
import io.ovsanp.controller.testing.TestPki;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ovs-vswitchd with two bridges (datapath ids a01 and b02) dialling our listener over a veth,
 * so both connect from the veth's inside address; the test plays the reconcile loop: on {@code
 * connected(node)} it writes a flow naming the node (its priority) to that connection, and the
 * switch's own flow table shows which node's flows it got.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CentralSwitchSourceTest {
    private static final DatapathId A01 = new DatapathId(0xa01);
    private static final DatapathId B02 = new DatapathId(0xb02);

    private PrivateOvs ovs;
    private PrivateOvs.Link veth;
    private CentralSwitchSource source;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Map<String, Integer> flowOf = Map.of("a", 101, "b", 102, "c", 103, "f", 106);

    /** Records {@code connected NODE DPID} / {@code disconnected NODE DPID} and writes the node's flow. */
    private final SwitchSource.Sink sink = new SwitchSource.Sink() {
        @Override
        public void connected(String node, OfConnection c) {
            int priority = flowOf.getOrDefault(node, 199);
            c.request(FlowMod.add(
                            c.nextXid(),
                            OfctlParser.parseFlow("table=0,priority=" + priority + ",ip,nw_dst=10.99.0."
                                    + (priority - 100) + " actions=drop")))
                    .join();
            events.add("connected " + node + " " + c.datapathId());
        }

        @Override
        public void disconnected(String node, OfConnection c) {
            events.add("disconnected " + node + " " + c.datapathId());
        }
    };

    @BeforeEach
    void start() {
        Needs.ovs();
        Needs.command("openssl");
        ovs = PrivateOvs.start();
        ovs.addBridge("br-a");
        ovs.addBridge("br-b");
        ovs.vsctl("set", "bridge", "br-a", "other_config:datapath-id=0000000000000a01");
        ovs.vsctl("set", "bridge", "br-b", "other_config:datapath-id=0000000000000b02");
        veth = ovs.linkToRoot();
        source = new CentralSwitchSource(
                SwitchTarget.parse("ptcp:0:" + veth.outside()),
                Optional.empty(),
                ConnectionConfig.DEFAULT,
                ListenerLimits.DEFAULT,
                true);
        source.start(sink);
        source.lead(1); // one replica: it leads, so each switch makes it master and is handed over
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (veth != null) {
            veth.close();
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    private void dial(String bridge) {
        ovs.vsctl(
                "set-controller",
                bridge,
                "tcp:" + veth.outside() + ":" + source.localAddress().getPort());
    }

    private String next() throws InterruptedException {
        String e = events.poll(30, TimeUnit.SECONDS);
        assertThat(e).as("a sink event within 30 s").isNotNull();
        return e;
    }

    private static NodeInfo node(String name, String ip) {
        return new NodeInfo(name, Map.of(), List.of(IpAddress.parse(ip)));
    }

    private static NodeInfo node(String name, String ip, String dpid) {
        return new NodeInfo(name, Map.of(), List.of(IpAddress.parse(ip)), Optional.of(dpid));
    }

    /** Waits until the switch with {@code dpid} is held for a reason containing {@code why}; returns it. */
    private String heldReason(DatapathId dpid, String why) {
        Wait.until(
                () -> source.held().entrySet().stream()
                        .anyMatch(e -> e.getKey().datapathId().equals(dpid)
                                && e.getValue().contains(why)),
                Duration.ofSeconds(30),
                "switch " + dpid + " held: " + why + " (held: " + source.held().values() + ")");
        return source.held().entrySet().stream()
                .filter(e -> e.getKey().datapathId().equals(dpid))
                .findFirst()
                .orElseThrow()
                .getValue();
    }

    private String flows(String bridge) {
        return ovs.ofctl("-O", "OpenFlow13", "dump-flows", bridge, "--no-stats").stdout();
    }

    @Test
    void anAnnotatedSwitchMapsToItsNodeAndMovesWithTheAnnotation() throws Exception {
        source.nodesChanged(List.of(node("a", "10.99.0.1", "0x0000000000000A01"), node("b", "10.99.0.2")));
        dial("br-a");

        assertThat(next()).isEqualTo("connected a " + A01);
        assertThat(source.mapped()).containsOnlyKeys("a");
        assertThat(flows("br-a")).contains("priority=101").doesNotContain("priority=102");

        source.nodesChanged(List.of(node("a", "10.99.0.1"), node("b", "10.99.0.2", "00:00:00:00:00:00:0a:01")));

        assertThat(next()).isEqualTo("disconnected a " + A01);
        assertThat(next()).isEqualTo("connected b " + A01);
        assertThat(source.mapped()).containsOnlyKeys("b");
        assertThat(flows("br-a")).contains("priority=102");
    }

    /** The role column of br-a's controller row: {@code master}, {@code slave} or {@code other}. */
    private String roleOfBrA() {
        return ovs.vsctl("--columns=role", "--bare", "list", "controller")
                .stdout()
                .strip();
    }

    @Test
    void aStandbyKeepsTheSwitchAsSlaveAndHandsItOverOnlyOnceTheSwitchMadeItMaster() throws Exception {
        source.standBy();
        source.nodesChanged(List.of(node("a", "10.99.0.1", "0000000000000a01")));
        dial("br-a");
        Wait.until(() -> roleOfBrA().equals("slave"), Duration.ofSeconds(30), "br-a to make us slave");
        Wait.until(() -> source.roles().containsValue("slave"), Duration.ofSeconds(10), "the slave reply");
        assertThat(source.roles().keySet()).extracting(OfConnection::datapathId).containsExactly(A01);
        assertThat(events).as("a standby's switch is not the sink's to write").isEmpty();
        assertThat(source.mapped()).isEmpty();

        source.lead(5);
        assertThat(next()).isEqualTo("connected a " + A01);
        // ovs-vswitchd refreshes the ephemeral role column on its own schedule
        Wait.until(() -> roleOfBrA().equals("master"), Duration.ofSeconds(30), "br-a to show us as master");
        assertThat(source.roles()).containsValue("master with generation 5");
        assertThat(flows("br-a")).contains("priority=101");

        source.standBy();
        assertThat(next()).isEqualTo("disconnected a " + A01);
        Wait.until(() -> roleOfBrA().equals("slave"), Duration.ofSeconds(30), "br-a to make us slave again");

        // A generation behind the one the switch has seen is refused as stale: the switch is not handed over.
        try (CapturedLog log = CapturedLog.of(CentralSwitchSource.class)) {
            source.lead(4);
            Wait.until(
                    () -> !log.containing("refused master with generation 4 as stale")
                            .isEmpty(),
                    Duration.ofSeconds(30),
                    "the stale master request to be refused");
        }
        assertThat(source.roles()).containsValue("none (refused)");
        assertThat(events).isEmpty();
        assertThat(roleOfBrA()).isEqualTo("slave");
    }

    /** Waits until a refusal of the switch with {@code dpid} for a reason containing {@code why}; returns it. */
    private String refusal(DatapathId dpid, String why) {
        String prefix = dpid + ": ";
        Wait.until(
                () -> source.lastRefusals().stream().anyMatch(r -> r.startsWith(prefix) && r.contains(why)),
                Duration.ofSeconds(30),
                "switch " + dpid + " refused: " + why + " (refusals: " + source.lastRefusals() + ")");
        return source.lastRefusals().stream()
                .filter(r -> r.startsWith(prefix) && r.contains(why))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void withoutAnAnnotationTheFirstSwitchFromANodesAddressKeepsItAndALaterOneIsRefused() throws Exception {
        // c owns the address the switches really connect from; the other node has a different one.
        source.nodesChanged(List.of(node("c", veth.inside()), node("d", "10.99.0.4")));
        dial("br-a");

        assertThat(next()).isEqualTo("connected c " + A01);
        assertThat(flows("br-a")).contains("priority=103");

        // br-b dials from the same address: it never displaces, duplicates or freezes br-a.
        dial("br-b");
        assertThat(refusal(B02, "node c is already switch " + A01)).contains("never displaces");
        assertThat(source.mapped()).containsOnlyKeys("c");
        assertThat(source.mapped().get("c").datapathId()).isEqualTo(A01);
        assertThat(events).isEmpty();
        assertThat(flows("br-b")).doesNotContain("priority=");

        // The annotation picks br-b as c's br-int: br-a (say br-ex) is refused from now on, and br-b,
        // redialling after its refusal, gets c.
        source.nodesChanged(List.of(node("c", veth.inside(), "0000000000000b02"), node("d", "10.99.0.4")));
        assertThat(next()).isEqualTo("disconnected c " + A01);
        assertThat(refusal(A01, "annotation names datapath id 0000000000000b02"))
                .isNotEmpty();
        assertThat(next()).isEqualTo("connected c " + B02);
        assertThat(flows("br-b")).contains("priority=103");
    }

    @Test
    void anUnresolvedSwitchGetsNothingUntilItsNodeAppears() throws Exception {
        dial("br-a");
        assertThat(heldReason(A01, "nodes have not been read yet")).isNotEmpty();

        source.nodesChanged(List.of(node("e", "10.99.0.5")));
        assertThat(heldReason(A01, "no node has the annotation ovs-anp.io/datapath-id=0000000000000a01"))
                .contains("no node has the address " + veth.inside());
        assertThat(events).isEmpty();
        assertThat(flows("br-a")).doesNotContain("priority=");

        source.nodesChanged(List.of(node("e", "10.99.0.5"), node("f", "10.99.0.6", "0000000000000a01")));
        assertThat(next()).isEqualTo("connected f " + A01);
        assertThat(flows("br-a")).contains("priority=106");
    }

    @Test
    void ambiguousAnnotationsAreRefusedAndTheMappingIsDroppedWhenTheyAppear() throws Exception {
        source.nodesChanged(List.of(node("a", "10.99.0.1", "0000000000000a01")));
        dial("br-a");
        assertThat(next()).isEqualTo("connected a " + A01);

        // A second node names the same datapath id: the switch is nobody's until that is fixed.
        source.nodesChanged(
                List.of(node("a", "10.99.0.1", "0000000000000a01"), node("b", "10.99.0.2", "0000000000000a01")));
        assertThat(next()).isEqualTo("disconnected a " + A01);
        assertThat(heldReason(A01, "of several nodes: a, b")).isNotEmpty();

        // The annotation says a, the connection comes from g's address: refused (closed).
        source.nodesChanged(List.of(node("a", "10.99.0.1", "0000000000000a01"), node("g", veth.inside())));
        assertThat(refusal(A01, "an address of node g")).contains("node a's");
        assertThat(events).isEmpty();
        assertThat(source.mapped()).isEmpty();
    }

    @Test
    void overPsslTheSwitchIsTheNodeItsCertificateNamesAndAnotherNodesCertificateIsRefused(@TempDir Path pki)
            throws Exception {
        Path ca = TestPki.ca(pki, "a");
        Path switchCert = TestPki.nodeLeaf(pki, ca, "switch", "c");
        Path controllerCert = TestPki.leaf(pki, ca, "controller");
        ovs.vsctl("set-ssl", pki.resolve("switch.key").toString(), switchCert.toString(), ca.toString());
        try (CentralSwitchSource tls = new CentralSwitchSource(
                SwitchTarget.parse("pssl:0:" + veth.outside()),
                Optional.of(new TlsConfig(pki.resolve("controller.key"), controllerCert, ca)),
                ConnectionConfig.DEFAULT,
                ListenerLimits.DEFAULT,
                false)) {
            // d has the address the switch connects from; the certificate says c, and that decides.
            tls.nodesChanged(List.of(node("c", "10.99.0.3"), node("d", veth.inside())));
            tls.start(sink);
            tls.lead(1);
            ovs.vsctl(
                    "set-controller",
                    "br-b",
                    "ssl:" + veth.outside() + ":" + tls.localAddress().getPort());

            assertThat(next()).isEqualTo("connected c " + B02);
            assertThat(tls.mapped().get("c").remote()).startsWith("ssl:" + veth.inside() + ":");
            assertThat(tls.mapped().get("c").peerIdentity().orElseThrow().nodes())
                    .containsExactly("c");
            assertThat(flows("br-b")).contains("priority=103");

            // br-a of the same switch (same certificate) with another datapath id: refused, br-b stays c's.
            ovs.vsctl(
                    "set-controller",
                    "br-a",
                    "ssl:" + veth.outside() + ":" + tls.localAddress().getPort());
            Wait.until(
                    () -> tls.lastRefusals().stream()
                            .anyMatch(r -> r.startsWith(A01 + ": ") && r.contains("node c is already switch " + B02)),
                    Duration.ofSeconds(30),
                    "br-a refused (refusals: " + tls.lastRefusals() + ")");
            assertThat(tls.mapped().get("c").datapathId()).isEqualTo(B02);
            assertThat(flows("br-a")).doesNotContain("priority=");
            assertThat(events).isEmpty();
        }
    }

    @Test
    void aPlaintextListenerMustBeAllowedExplicitlyAndNameItsAddress() {
        assertThatThrownBy(() -> new CentralSwitchSource(
                        SwitchTarget.parse("ptcp:0:127.0.0.1"),
                        Optional.empty(),
                        ConnectionConfig.DEFAULT,
                        ListenerLimits.DEFAULT,
                        false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--allow-unauthenticated-switches");
        assertThatThrownBy(() -> new CentralSwitchSource(
                        SwitchTarget.parse("ptcp:6653"),
                        Optional.empty(),
                        ConnectionConfig.DEFAULT,
                        ListenerLimits.DEFAULT,
                        true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must name the address to bind (ptcp:PORT:IP)");
    }

    @Test
    void aSwitchThatDisconnectsIsReportedGone() throws Exception {
        source.nodesChanged(List.of(node("a", "10.99.0.1", "0000000000000a01")));
        dial("br-a");
        assertThat(next()).isEqualTo("connected a " + A01);

        ovs.vsctl("del-controller", "br-a");
        assertThat(next()).isEqualTo("disconnected a " + A01);
        assertThat(source.mapped()).isEmpty();
    }
}
