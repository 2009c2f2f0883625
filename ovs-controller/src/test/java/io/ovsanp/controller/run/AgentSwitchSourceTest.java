package io.ovsanp.controller.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.controller.metrics.Health;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's switch against a real ovs-vswitchd that dies and comes back: how long it has been
 * without an OpenFlow connection, and the liveness check built on it. Time is a hand-driven clock.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentSwitchSourceTest {
    private static final Duration BOUND = Duration.ofSeconds(120);

    private final AtomicLong nanos = new AtomicLong();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    private AgentSwitchSource source(Path socket) {
        return new AgentSwitchSource(
                "w1", SwitchTarget.parse("unix:" + socket), Optional.empty(), ConnectionConfig.DEFAULT, nanos::get);
    }

    private final SwitchSource.Sink sink = new SwitchSource.Sink() {
        @Override
        public void connected(String node, OfConnection connection) {
            events.add("connected " + node);
        }

        @Override
        public void disconnected(String node, OfConnection connection) {
            events.add("disconnected " + node);
        }
    };

    @Test
    void livenessFailsOnlyWhenTheSwitchHasBeenUnconnectedLongerThanTheBound() throws Exception {
        Needs.ovs();
        try (PrivateOvs ovs = PrivateOvs.start();
                AgentSwitchSource source = source(ovs.addBridge("br-int").mgmtSocket())) {
            Health health = new Health()
                    .liveWhen("switch-connection", () -> source.unconnectedFor().compareTo(BOUND) <= 0);
            nanos.addAndGet(Duration.ofHours(1).toNanos());
            assertThat(source.unconnectedFor())
                    .as("not started: no switch expected yet")
                    .isZero();

            source.start(sink);
            assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("connected w1");
            nanos.addAndGet(Duration.ofHours(1).toNanos());
            assertThat(source.unconnectedFor()).isZero();
            assertThat(health.live().ok()).isTrue();

            ovs.killVswitchd();
            assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("disconnected w1");
            nanos.addAndGet(BOUND.toNanos());
            assertThat(source.unconnectedFor()).isEqualTo(BOUND);
            assertThat(health.live().ok()).isTrue();
            nanos.addAndGet(1);
            Health.Result dead = health.live();
            assertThat(dead.ok()).isFalse();
            assertThat(dead.text()).contains("[-]switch-connection").contains("[+]loop");

            ovs.startVswitchd();
            assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("connected w1");
            assertThat(source.unconnectedFor()).isZero();
            assertThat(health.live().ok()).isTrue();
        }
    }

    @Test
    void aSwitchThatNeverConnectsCountsFromStart(@TempDir Path dir) {
        try (AgentSwitchSource source = source(dir.resolve("br-int.mgmt"))) {
            source.start(sink);
            nanos.addAndGet(Duration.ofSeconds(7).toNanos());
            assertThat(source.unconnectedFor()).isEqualTo(Duration.ofSeconds(7));
            assertThat(events).isEmpty();
        }
    }
}
