package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.controller.openflow.wire.DatapathId;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One ptcp listener serving two bridges that dial it (over a veth into the switch's namespace). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SwitchListenerTest {
    private PrivateOvs ovs;
    private PrivateOvs.Link veth;

    @BeforeEach
    void start() {
        Needs.ovs();
        ovs = PrivateOvs.start();
        ovs.addBridge("br-int");
        ovs.addBridge("br-two");
        ovs.vsctl("set", "bridge", "br-int", "other_config:datapath-id=0000000000000a01");
        ovs.vsctl("set", "bridge", "br-two", "other_config:datapath-id=0000000000000a02");
        veth = ovs.linkToRoot();
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

    @Test
    void everyBridgeThatDialsInBecomesItsOwnConnectionAndCloseEndsThemAll() throws Exception {
        BlockingQueue<OfConnection> accepted = new LinkedBlockingQueue<>();
        SwitchListener listener =
                SwitchListener.listen(SwitchTarget.parse("ptcp:0:" + veth.outside()), Optional.empty(), accepted::add);
        try {
            String target =
                    "tcp:" + veth.outside() + ":" + listener.localAddress().getPort();
            ovs.vsctl("set-controller", "br-int", target);
            ovs.vsctl("set-controller", "br-two", target);
            OfConnection a = accepted.poll(30, TimeUnit.SECONDS);
            OfConnection b = accepted.poll(30, TimeUnit.SECONDS);
            assertThat(a).isNotNull();
            assertThat(b).isNotNull();
            assertThat(List.of(a.datapathId(), b.datapathId()))
                    .containsExactlyInAnyOrder(new DatapathId(0xa01), new DatapathId(0xa02));
            assertThat(a.remote()).startsWith("tcp:" + veth.inside() + ":");
            a.barrier().get(10, TimeUnit.SECONDS);
            b.barrier().get(10, TimeUnit.SECONDS);
            assertThat(listener.connections()).containsExactlyInAnyOrder(a, b);

            listener.close();
            a.closeFuture().get(5, TimeUnit.SECONDS);
            b.closeFuture().get(5, TimeUnit.SECONDS);
            Wait.until(() -> listener.connections().isEmpty(), Duration.ofSeconds(5), "connections to drop");
        } finally {
            listener.close();
        }
    }
}
