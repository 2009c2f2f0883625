package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.ofctl.OfctlParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Well-formed content the flow model cannot hold: a dumped flow stays opaque (never equal to a
 * flow we would send) and names the reason; a flow-mod becomes Unknown; bad framing throws.
 */
class OpaqueDecodingTest {
    /** A flow-stats reply with one entry: table 3, priority 5, cookie 7, then the given match and instructions. */
    static FlowStatsReply reply(String oxms, String instructions) {
        int matchLen = 4 + oxms.replace(" ", "").length() / 2;
        String match = String.format("0001%04x", matchLen) + oxms + "00".repeat((8 - matchLen % 8) % 8);
        String body = "03 00 00000001 00000002 0005 0000 0000 0000 00000000 0000000000000007"
                + " 0000000000000000 0000000000000000 " + match + instructions;
        int entryLen = 2 + body.replace(" ", "").length() / 2;
        String entry = String.format("%04x", entryLen) + body;
        int total = 16 + entryLen;
        return (FlowStatsReply)
                OfCodec.decode(Fixtures.hex(String.format("0413%04x00000009 0001 0000 00000000", total) + entry));
    }

    static DumpedFlow one(String oxms, String instructions) {
        return reply(oxms, instructions).flows().get(0);
    }

    static String apply(String actions) {
        return String.format("0004%04x00000000", 8 + actions.replace(" ", "").length() / 2) + actions;
    }

    @Test
    void understoodEntryIsAFlow() {
        DumpedFlow d = one("80000a02 0800", apply("ffff 0010 00002320 000e fff8 14 000000"));
        assertThat(d.flow()).contains(OfctlParser.parseFlow("table=3,priority=5,cookie=0x7,ip actions=resubmit(,20)"));
        assertThat(d.durationSec()).isEqualTo(1);
        assertThat(d.durationNsec()).isEqualTo(2);
    }

    @Test
    void fullWidthRegLoadReadsAsSetField() {
        DumpedFlow d = one("", apply("ffff 0018 00002320 0007 001f 00010204 0000000000000005"));
        assertThat(d.flow().orElseThrow().actions()).containsExactly(new FlowAction.SetField(Field.REG1, 5));
    }

    @Test
    void unknownOxmActionAndInstructionAreOpaque() {
        assertThat(one("80000c02 0064", "").opaqueReason()).isEqualTo("unknown oxm 0x80000c02"); // vlan_vid
        assertThat(one("", apply("0011 0008 00000000")).opaqueReason()).isEqualTo("action type 17"); // push_vlan
        assertThat(one("", apply("ffff 0010 00002320 0008 abcd00000000")).opaqueReason())
                .isEqualTo("nicira action subtype 8"); // note
        assertThat(one("", "0002 0018 00000000 0000000000000001 0000000000000001")
                        .opaqueReason())
                .isEqualTo("instruction type 2"); // write_metadata
        assertThat(one("", apply("ffff 0010 00002321 0000 000000000000")).opaqueReason())
                .isEqualTo("experimenter action 0x2321");
    }

    @Test
    void variantsTheModelLacksAreOpaque() {
        assertThat(one("", apply("ffff 0010 00002320 000e 0001 14 000000")).opaqueReason())
                .isEqualTo("resubmit(1,20)");
        assertThat(one("", apply("0000 0010 00000002 0080 000000000000")).opaqueReason())
                .isEqualTo("output max_len 128");
        assertThat(one("", apply("ffff 0010 00002320 0022 00 01 00000007")).opaqueReason())
                .isEqualTo("bad conjunction 1/1");
        assertThat(one("80000a02 0800 80001401 06 80002002 0035", "").opaqueReason())
                .isEqualTo("transport port of protocol 17 with ip_proto 6");
        assertThat(one("80000a02 0800", apply("ffff 0018 00002320 0023 0003 00000000 0005 ff 000000 0000"))
                        .opaqueReason())
                .isEqualTo("ct flags=3 zone_src=0x0 alg=0 table=255");
        // goto_table must point forward in the model; table 3 -> 2 does not
        assertThat(one("", "0001 0008 02 000000").opaqueReason()).contains("goto_table must point forward");
        // never equal to anything we would install
        DumpedFlow vlan = one("80000c02 0064", "");
        assertThat(vlan.sameAs(new Flow(
                        vlan.flow().map(Flow::table).orElse(io.ovsanp.compiler.flow.TableId.of(3)),
                        vlan.priority(),
                        vlan.cookie(),
                        io.ovsanp.compiler.flow.Match.ANY,
                        List.of())))
                .isFalse();
    }

    @Test
    void badLengthsInsideAnEntryAreProtocolErrors() {
        assertThatThrownBy(() -> one("", apply("ffff 0018 00002320 000e fff8 14 000000 0000000000000000")))
                .isInstanceOf(OfProtocolException.class)
                .hasMessageContaining("resubmit: length 24");
        assertThatThrownBy(() -> one("00010005 0000000000", ""))
                .isInstanceOf(OfProtocolException.class)
                .hasMessageContaining("bad length");
        assertThatThrownBy(() -> one("00010004 00000001 00010004 00000002", ""))
                .isInstanceOf(OfProtocolException.class)
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> one("", "0004 000c 00000000 0000"))
                .isInstanceOf(OfProtocolException.class)
                .hasMessageContaining("instruction 4: bad length 12");
    }

    @Test
    void aFlowModWithAnUnmodelledActionIsUnknownNotAnError() {
        byte[] fm = Fixtures.flowMods().get(0).bytes().clone(); // actions=NORMAL: output max_len at 0x50
        fm[fm.length - 8] = 0x01;
        assertThat(OfCodec.decode(fm)).isInstanceOf(OfMessage.Unknown.class);
    }
}
