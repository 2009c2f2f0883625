package io.ovsanp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceVerdictTest {
    /** Abridged from OVS 3.1 `ofproto/trace` through `ct(table=2,zone=65000)`. */
    private static final String CT_THEN_DROP = """
            bridge("br0")
            -------------
             1. ip, priority 10
                ct(table=2,zone=65000)
                drop
            Datapath actions: ct(zone=65000),recirc(0x1)

            recirc(0x1) - resume conntrack with default ct_state=trk|new (use --ct-next to customize)
             3. conj_id=7, priority 1000
                drop
            Datapath actions: drop
            """;

    @Test
    void lastPassDecidesAfterRecirculation() {
        TraceVerdict v = TraceVerdict.parse(CT_THEN_DROP);
        assertThat(v.dropped()).isTrue();
        assertThat(v.datapathActions()).isEqualTo("drop");
    }

    @Test
    void anyOtherActionIsNotADrop() {
        TraceVerdict v = TraceVerdict.parse(
                CT_THEN_DROP.replace("Datapath actions: drop", "Datapath actions: ct(commit,zone=65000),1"));
        assertThat(v.dropped()).isFalse();
        assertThat(v.datapathActions()).isEqualTo("ct(commit,zone=65000),1");
    }

    @Test
    void traceWithoutDatapathActionsIsRejected() {
        assertThatThrownBy(() -> TraceVerdict.parse("Flow: tcp\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Flow: tcp");
    }
}
