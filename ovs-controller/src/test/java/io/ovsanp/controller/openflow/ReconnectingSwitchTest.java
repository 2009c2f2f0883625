package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.controller.openflow.wire.DatapathId;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ReconnectingSwitch} across an ovs-vswitchd crash and restart, and the NIO transport. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReconnectingSwitchTest {
    private PrivateOvs ovs;
    private Path mgmt;

    @BeforeEach
    void start() {
        Needs.ovs();
        ovs = PrivateOvs.start();
        mgmt = ovs.addBridge("br-int").mgmtSocket();
        ovs.vsctl("set", "bridge", "br-int", "other_config:datapath-id=00000000000abc01");
    }

    @AfterEach
    void stop() {
        if (ovs != null) {
            ovs.close();
        }
    }

    @Test
    void onConnectedFiresAgainAfterOvsVswitchdIsKilledAndRestarted() throws Exception {
        BlockingQueue<OfConnection> connected = new LinkedBlockingQueue<>();
        try (ReconnectingSwitch sw = new ReconnectingSwitch(SwitchTarget.parse("unix:" + mgmt), Optional.empty())) {
            sw.onConnected(connected::add).start();
            OfConnection first = connected.poll(20, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.datapathId()).isEqualTo(new DatapathId(0xabc01));
            assertThat(sw.current()).contains(first);

            ovs.killVswitchd();
            first.closeFuture().get(10, TimeUnit.SECONDS);
            Wait.until(() -> sw.current().isEmpty(), Duration.ofSeconds(5), "current() to empty");
            Thread.sleep(500); // a few failed attempts while the switch is down
            assertThat(connected).isEmpty();
            ovs.startVswitchd();

            OfConnection second = connected.poll(30, TimeUnit.SECONDS);
            assertThat(second).isNotNull().isNotSameAs(first);
            assertThat(second.datapathId()).isEqualTo(first.datapathId());
            second.barrier().get(10, TimeUnit.SECONDS);
            assertThat(sw.current()).contains(second);
            assertThat(connected).isEmpty();

            sw.close();
            second.closeFuture().get(5, TimeUnit.SECONDS);
            assertThat(sw.current()).isEmpty();
        }
    }

    @Test
    void aListenerAddedWhileConnectedIsCalledAtOnce() throws Exception {
        try (ReconnectingSwitch sw = new ReconnectingSwitch(SwitchTarget.parse("unix:" + mgmt), Optional.empty())) {
            BlockingQueue<OfConnection> early = new LinkedBlockingQueue<>();
            sw.onConnected(early::add).start();
            OfConnection c = early.poll(20, TimeUnit.SECONDS);
            BlockingQueue<OfConnection> late = new LinkedBlockingQueue<>();
            sw.onConnected(late::add);
            assertThat(late.poll(5, TimeUnit.SECONDS)).isSameAs(c);
        }
    }

    @Test
    void passiveTargetsAreRefused() {
        assertThatThrownBy(() -> new ReconnectingSwitch(SwitchTarget.parse("ptcp:6653"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("passive");
    }

    @Test
    void theNioTransportConnectsOverTheUnixSocketToo() throws Exception {
        Transport nio = new Transport(false);
        try (OfConnection c = SwitchConnector.connect(
                        SwitchTarget.parse("unix:" + mgmt), Optional.empty(), ConnectionConfig.DEFAULT, nio)
                .get(20, TimeUnit.SECONDS)) {
            assertThat(c.datapathId()).isEqualTo(new DatapathId(0xabc01));
            c.barrier().get(10, TimeUnit.SECONDS);
        } finally {
            nio.shutdown();
        }
    }

    @Test
    void theSharedTransportIsNativeEpollHere() {
        assertThat(Transport.shared().isEpoll()).isTrue();
    }
}
