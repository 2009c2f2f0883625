package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ovsanp.controller.openflow.wire.DatapathId;
import io.ovsanp.controller.run.AgentSwitchSource;
import io.ovsanp.controller.run.SwitchSource;
import io.ovsanp.controller.testing.TestPki;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS between us and a real ovs-vswitchd, both directions, with certificates the test makes: CA "a"
 * signs the switch's and our certificate; CA "b" signs impostors. OVS runs in its own network
 * namespace and a JVM socket cannot enter one, so a veth pair with a random link-local /30
 * ({@link PrivateOvs#linkToRoot()}) joins our namespace to the switch's.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OfConnectionTlsTest {
    @TempDir
    Path pki;

    private PrivateOvs ovs;
    private PrivateOvs.Link veth;
    private DatapathId dpid;
    private Path caA;
    private Path caB;

    @BeforeEach
    void start() {
        Needs.ovs();
        Needs.command("openssl");
        ovs = PrivateOvs.start();
        ovs.addBridge("br-int");
        veth = ovs.linkToRoot();
        caA = TestPki.ca(pki, "a");
        caB = TestPki.ca(pki, "b");
        Path switchCert = TestPki.leaf(pki, caA, "switch");
        TestPki.leaf(pki, caA, "controller");
        TestPki.leaf(pki, caB, "impostor");
        ovs.vsctl("set-ssl", pki.resolve("switch.key").toString(), switchCert.toString(), caA.toString());
        String dp = ovs.vsctl("get", "bridge", "br-int", "datapath_id")
                .stdout()
                .strip()
                .replace("\"", "");
        dpid = new DatapathId(Long.parseUnsignedLong(dp, 16));
    }

    @AfterEach
    void stop() {
        if (veth != null) {
            veth.close();
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    private TlsConfig tls(String name, Path trusted) {
        return new TlsConfig(pki.resolve(name + ".key"), pki.resolve(name + ".pem"), trusted);
    }

    /** Makes OVS listen on pssl in its namespace; returns our target for it once it accepts connections. */
    private SwitchTarget switchListening() {
        ovs.vsctl("set-controller", "br-int", "pssl:6653:" + veth.inside());
        Wait.until(
                () -> Command.of("ss", "-ltn")
                        .inNetns(ovs.netns())
                        .run()
                        .stdout()
                        .contains(veth.inside() + ":6653"),
                Duration.ofSeconds(15),
                "ovs-vswitchd to listen on pssl:6653:" + veth.inside());
        return SwitchTarget.parse("ssl:" + veth.inside() + ":6653");
    }

    @Test
    void weDialTheSwitchOverSslWhenBothCertificatesComeFromItsCa() throws Exception {
        SwitchTarget target = switchListening();
        try (OfConnection c = SwitchConnector.connect(target, Optional.of(tls("controller", caA)))
                .get(20, TimeUnit.SECONDS)) {
            assertThat(c.datapathId()).isEqualTo(dpid);
            assertThat(c.remote()).isEqualTo("ssl:" + veth.inside() + ":6653");
            c.barrier().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theSwitchDialsOurSslListener() throws Exception {
        CompletableFuture<OfConnection> accepted = new CompletableFuture<>();
        try (SwitchListener listener = SwitchListener.listen(
                SwitchTarget.parse("pssl:0:" + veth.outside()),
                Optional.of(tls("controller", caA)),
                accepted::complete)) {
            int port = listener.localAddress().getPort();
            ovs.vsctl("set-controller", "br-int", "ssl:" + veth.outside() + ":" + port);
            OfConnection c = accepted.get(30, TimeUnit.SECONDS);
            assertThat(c.datapathId()).isEqualTo(dpid);
            assertThat(c.remote()).startsWith("ssl:" + veth.inside() + ":");
            c.barrier().get(10, TimeUnit.SECONDS);
            assertThat(listener.connections()).containsExactly(c);
        }
    }

    @Test
    void anAgentHandsOnOnlyASwitchWhoseCertificateNamesItsNodeOrNoNode() throws Exception {
        Path nodeCert = TestPki.nodeLeaf(pki, caA, "node-switch", "worker-1");
        ovs.vsctl("set-ssl", pki.resolve("node-switch.key").toString(), nodeCert.toString(), caA.toString());
        SwitchTarget target = switchListening();
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AgentSwitchSource.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        BlockingQueue<String> handed = new LinkedBlockingQueue<>();
        SwitchSource.Sink sink = new SwitchSource.Sink() {
            @Override
            public void connected(String node, OfConnection c) {
                handed.add(
                        node + " " + c.peerIdentity().map(PeerIdentity::nodes).orElseThrow());
            }

            @Override
            public void disconnected(String node, OfConnection c) {}
        };
        try (AgentSwitchSource other = new AgentSwitchSource("worker-2", target, Optional.of(tls("controller", caA)))) {
            other.start(sink);
            Wait.until(
                    () -> log.list.stream()
                            .anyMatch(e -> e.getFormattedMessage()
                                    .contains("presents the certificate \"CN=node-switch\" (names node worker-1),"
                                            + " not node worker-2's")),
                    Duration.ofSeconds(20),
                    "the agent of worker-2 to refuse worker-1's switch");
        } finally {
            logger.detachAppender(log);
        }
        assertThat(handed).isEmpty();
        try (AgentSwitchSource own = new AgentSwitchSource("worker-1", target, Optional.of(tls("controller", caA)))) {
            own.start(sink);
            assertThat(handed.poll(20, TimeUnit.SECONDS)).isEqualTo("worker-1 [worker-1]");
        }
    }

    @Test
    void theSwitchRefusesOurCertificateFromAnotherCa() {
        SwitchTarget target = switchListening();
        assertThatThrownBy(() -> SwitchConnector.connect(target, Optional.of(tls("impostor", caA)))
                        .get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SwitchConnectException.class)
                .hasMessageContaining("ssl:" + veth.inside() + ":6653")
                .hasMessageMatching("(?s).*(TLS handshake with .* failed|refused our TLS certificate).*");
    }

    @Test
    void weRefuseASwitchCertificateFromAnotherCa() {
        SwitchTarget target = switchListening();
        assertThatThrownBy(() -> SwitchConnector.connect(target, Optional.of(tls("controller", caB)))
                        .get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(SwitchConnectException.class)
                .hasMessageContaining("TLS handshake with ssl:" + veth.inside() + ":6653 failed");
    }
}
