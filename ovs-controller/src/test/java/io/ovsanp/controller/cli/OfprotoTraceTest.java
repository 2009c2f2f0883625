package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ofproto/trace} text as OVS 3.1 prints it (captured from a real ovs-vswitchd), read as steps. */
class OfprotoTraceTest {
    static String resource(String name) throws IOException {
        try (InputStream in = OfprotoTraceTest.class.getResourceAsStream("/trace/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aDenyReadsAcrossTheConntrackRecirculationAndEndsInDrop() throws Exception {
        OfprotoTrace t = OfprotoTrace.parse(resource("deny.txt"));
        assertThat(t.steps()).extracting(OfprotoTrace.Step::table).containsExactly(0, 1, 2, 3);
        OfprotoTrace.Step deny = t.steps().get(3);
        assertThat(deny.match()).isEqualTo("ip,nw_src=10.244.1.10");
        assertThat(deny.priority()).hasValue(21733);
        assertThat(deny.cookie()).isEqualTo(0x102a500000002L);
        assertThat(deny.actions()).containsExactly("drop");
        // the first pass's own datapath actions (ct, recirc) are not the packet's fate
        assertThat(t.datapathActions()).isEqualTo("drop");
        assertThat(t.leaves()).isFalse();
        // OVS's notes under an action are left out; the ct action and the clone's "drop" stay
        assertThat(t.steps().get(1).actions()).containsExactly("ct(table=2,zone=65000)", "drop");
    }

    @Test
    void anAllowReachesTheOutputTableAndLeaves() throws Exception {
        OfprotoTrace t = OfprotoTrace.parse(resource("allow.txt"));
        assertThat(t.steps()).extracting(OfprotoTrace.Step::table).containsExactly(0, 1, 2, 3, 6, 7, 8, 9, 10);
        OfprotoTrace.Step catchAll = t.steps().get(4);
        assertThat(catchAll.match()).isEmpty();
        assertThat(catchAll.priority()).hasValue(0);
        assertThat(t.steps().get(7).actions()).containsExactly("ct(commit,zone=65000)", "drop", "goto_table:10");
        assertThat(t.steps().get(8).actions()).containsExactly("NORMAL");
        assertThat(t.datapathActions()).isEqualTo("ct(commit,zone=65000),1");
        assertThat(t.leaves()).isTrue();
    }

    @Test
    void aTableMissIsAStepWithoutPriority() throws Exception {
        OfprotoTrace t = OfprotoTrace.parse(resource("miss.txt"));
        assertThat(t.steps()).singleElement().satisfies(s -> {
            assertThat(s.miss()).isTrue();
            assertThat(s.match()).isEqualTo("No match.");
            assertThat(s.actions()).isEqualTo(List.of("drop"));
        });
        assertThat(t.leaves()).isFalse();
    }

    @Test
    void textWithoutDatapathActionsIsRefusedWithTheText() {
        assertThatThrownBy(() -> OfprotoTrace.parse("ovs-vswitchd: something else\n"))
                .isInstanceOf(BadInput.class)
                .hasMessageContaining("no \"Datapath actions:\" line")
                .hasMessageContaining("something else");
    }
}
