package io.ovsanp.compiler.ofctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Input lines are verbatim OVS 3.1 dump-flows output unless said otherwise. */
class OfctlParserTest {

    @Test
    void readsADumpLineWithStatistics() {
        Flow f = OfctlParser.parseFlow(
                " cookie=0x2a500000007, duration=0.011s, table=3, n_packets=0, n_bytes=0,"
                        + " idle_age=5, hard_age=7, send_flow_rem reset_counts priority=1000,ip,nw_dst=10.0.0.0/8 actions=conjunction(7,2/3)");
        assertThat(f.table().value()).isEqualTo(3);
        assertThat(f.priority().value()).isEqualTo(1000);
        assertThat(f.cookie().value()).isEqualTo(0x2a500000007L);
        assertThat(f.match().get(Field.IPV4_DST)).contains(FieldMatch.masked(Field.IPV4_DST, 0x0a000000L, 0xff000000L));
        assertThat(f.actions()).containsExactly(new FlowAction.Conjunction(new ConjId(7), 2, 3));
    }

    @Test
    void absentCookieTableAndPriorityTakeOvsDefaults() {
        Flow f = OfctlParser.parseFlow(" conj_id=9,ct_zone=3,ct_mark=0x5,ip,reg0=0x1,reg2=0x3,in_port=7 actions=drop");
        assertThat(f.cookie().value()).isZero();
        assertThat(f.table().value()).isZero();
        assertThat(f.priority().value()).isEqualTo(32768);
        assertThat(f.actions()).isEmpty();
        assertThat(f.match().get(Field.IN_PORT)).contains(FieldMatch.exact(Field.IN_PORT, 7));
    }

    @Test
    void acceptsOurRenderedFormAndCommaBeforeActions() {
        Flow a = OfctlParser.parseFlow("table=3,priority=1000,cookie=0x2a500000007,ip,nw_src=10.0.0.1 actions=drop");
        Flow b = OfctlParser.parseFlow("table=3,priority=1000,cookie=0x2a500000007,ip,nw_src=10.0.0.1,actions=drop");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void readsConntrackStateInEveryForm() {
        assertThat(ctState("ct_state=+inv+trk")).isEqualTo(FieldMatch.masked(Field.CT_STATE, 0x30, 0x30));
        assertThat(ctState("ct_state=-new+est+trk")).isEqualTo(FieldMatch.masked(Field.CT_STATE, 0x22, 0x23));
        assertThat(ctState("ct_state=new|trk")).isEqualTo(FieldMatch.masked(Field.CT_STATE, 0x21, 0xff));
        assertThat(ctState("ct_state=0")).isEqualTo(FieldMatch.masked(Field.CT_STATE, 0, 0xff));
        assertThat(ctState("ct_state=0x21/0x21")).isEqualTo(FieldMatch.masked(Field.CT_STATE, 0x21, 0x21));
    }

    private static FieldMatch ctState(String m) {
        return OfctlParser.parseFlow(m + " actions=drop")
                .match()
                .get(Field.CT_STATE)
                .orElseThrow();
    }

    @Test
    void readsCtWithItsArgumentsInAnyOrderAndLoadAsSetField() {
        Flow f = OfctlParser.parseFlow(
                "ip actions=ct(commit,table=3,zone=9,exec(set_field:0x1->ct_mark)),load:0x5->NXM_NX_REG3[],LOCAL,output:2");
        assertThat(f.actions())
                .containsExactly(
                        new FlowAction.Ct(
                                true,
                                9,
                                Optional.of(io.ovsanp.compiler.flow.TableId.of(3)),
                                List.of(new FlowAction.SetField(Field.CT_MARK, 1))),
                        new FlowAction.SetField(Field.REG3, 5),
                        new FlowAction.Output(0xffff_fffeL),
                        new FlowAction.Output(2));
    }

    /** The spellings OVS 3.1 dump-flows prints (docs/ovs-notes.md §2.7): max_len only when not 65535, pause last. */
    @Test
    void readsPauseWithAndWithoutMaxLenAndRendersItBackAsOvsPrintsIt() {
        Flow whole =
                OfctlParser.parseFlow(" cookie=0x0, duration=0.077s, table=1, n_packets=0, n_bytes=0, priority=1,udp"
                        + " actions=set_field:0x5->reg0,controller(pause),goto_table:2");
        assertThat(whole.actions())
                .containsExactly(
                        new FlowAction.SetField(Field.REG0, 5),
                        FlowAction.Pause.WHOLE,
                        new FlowAction.GotoTable(io.ovsanp.compiler.flow.TableId.of(2)));
        Flow cut = OfctlParser.parseFlow("table=1, priority=2,udp actions=controller(max_len=128,pause)");
        assertThat(cut.actions()).containsExactly(new FlowAction.Pause(128));
        assertThat(OfctlRenderer.renderActions(cut.actions())).isEqualTo("controller(max_len=128,pause)");
        // OVS leaves the default out: max_len=65535 is plain pause, in both directions
        assertThat(OfctlParser.parseFlow("udp actions=controller(max_len=65535,pause)")
                        .actions())
                .containsExactly(FlowAction.Pause.WHOLE);
        assertThat(OfctlRenderer.renderActions(List.of(new FlowAction.Pause(65535))))
                .isEqualTo("controller(pause)");
        assertThatThrownBy(() -> OfctlParser.parseFlow("udp actions=controller(pause,meter_id=3)"))
                .isInstanceOf(OfctlParseException.class);
    }

    @Test
    void readsNonPrefixMasksAndIpv4MappedAddresses() {
        Flow f = OfctlParser.parseFlow("ipv6,ipv6_src=2001::/ffff:0:ffff:: actions=drop");
        assertThat(f.match().get(Field.IPV6_SRC).orElseThrow().prefixLength()).isEqualTo(-1);
        Flow g = OfctlParser.parseFlow("ipv6,ipv6_src=::ffff:1.2.3.4 actions=drop");
        assertThat(g.match().get(Field.IPV6_SRC).orElseThrow().value().longValue())
                .isEqualTo(0xffff01020304L);
    }

    @Test
    void parseAllSkipsHeadersCommentsAndBlankLines() {
        String dump = "OFPST_FLOW reply (OF1.3) (xid=0x2):\n"
                + " cookie=0x0, duration=0.011s, table=1, n_packets=0, n_bytes=0, priority=23,ip,nw_src=10.0.0.0 actions=NORMAL\n"
                + "\n# table 1: comment\n"
                + "NXST_FLOW reply (xid=0x4):\n"
                + " table=1, priority=0 actions=goto_table:2\n";
        assertThat(OfctlParser.parseAll(dump)).hasSize(2);
    }

    @Test
    void namesTheTokenAndTheLineItCannotRead() {
        String line = "table=1,priority=5,ip,nw_tos=4 actions=drop";
        assertThatThrownBy(() -> OfctlParser.parseFlow(line)).isInstanceOfSatisfying(OfctlParseException.class, e -> {
            assertThat(e.token()).isEqualTo("nw_tos=4");
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.getMessage()).contains("nw_tos=4").contains(line);
        });
        assertThatThrownBy(() -> OfctlParser.parseFlow("ip actions=mod_nw_tos:4"))
                .isInstanceOfSatisfying(
                        OfctlParseException.class, e -> assertThat(e.token()).isEqualTo("mod_nw_tos:4"));
        assertThatThrownBy(() -> OfctlParser.parseFlow("ip,idle_timeout=10 actions=drop"))
                .isInstanceOfSatisfying(
                        OfctlParseException.class, e -> assertThat(e.token()).isEqualTo("idle_timeout=10"));
        assertThatThrownBy(() -> OfctlParser.parseFlow("priority=5,ip")).isInstanceOf(OfctlParseException.class);
        assertThatThrownBy(() -> OfctlParser.parseFlow("tcp,nw_proto=17 actions=drop"))
                .isInstanceOfSatisfying(
                        OfctlParseException.class, e -> assertThat(e.token()).isEqualTo("nw_proto=17"));
        assertThatThrownBy(() -> OfctlParser.parseFlow("tp_dst=80 actions=drop"))
                .isInstanceOf(OfctlParseException.class)
                .hasMessageContaining("tp_src/tp_dst need");
        assertThatThrownBy(() -> OfctlParser.parseFlow("ip actions=ct(commit,exec(set_field:1->reg0))"))
                .isInstanceOf(OfctlParseException.class);
        assertThatThrownBy(() -> OfctlParser.parseFlow("ip actions=ct(commit")).isInstanceOf(OfctlParseException.class);
    }
}
