package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HandshakeGateTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void perAddressAndTotalLimitsHoldUntilHandshakesEnd() throws Exception {
        HandshakeGate gate = new HandshakeGate(new ListenerLimits(3, 2, 5, Duration.ofMinutes(1)));
        assertThat(gate.admit(ip("10.0.0.1"))).isEmpty();
        assertThat(gate.admit(ip("10.0.0.1"))).isEmpty();
        assertThat(gate.admit(ip("10.0.0.1")))
                .hasValueSatisfying(r ->
                        assertThat(r).isEqualTo("refused: 2 handshakes in progress from this address (at most 2)"));
        assertThat(gate.admit(ip("10.0.0.2"))).isEmpty();
        assertThat(gate.admit(ip("10.0.0.3")))
                .hasValueSatisfying(r -> assertThat(r).isEqualTo("refused: 3 handshakes in progress (at most 3)"));
        assertThat(gate.inProgress()).isEqualTo(3);
        gate.release(ip("10.0.0.1"));
        assertThat(gate.admit(ip("10.0.0.3"))).isEmpty();
        assertThat(gate.admit(ip("10.0.0.1"))).isPresent();
        gate.release(ip("10.0.0.2"));
        assertThat(gate.admit(ip("10.0.0.1"))).isEmpty();
        assertThatThrownBy(() -> gate.release(ip("10.0.0.9"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void limitsMustBePositiveAndConsistent() {
        assertThatThrownBy(() -> new ListenerLimits(0, 1, 5, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListenerLimits(4, 5, 5, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListenerLimits(4, 2, 5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
