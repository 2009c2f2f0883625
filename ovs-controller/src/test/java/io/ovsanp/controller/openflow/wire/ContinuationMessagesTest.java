package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Continuations on the wire (docs/ovs-notes.md §2.7): the {@code controller(pause)} action as {@code
 * ovs-ofctl -O OpenFlow13 -mmmmm parse-flow} encodes it, NXT_SET_PACKET_IN_FORMAT, and the
 * NXT_PACKET_IN2 / NXT_RESUME pair, both from continuations.golden (what a live OVS 3.1 sent and
 * what {@code ovs-ofctl monitor ... resume} answered, recorded by continuation-capture.sh) and
 * laid out by hand from nicira-ext.h.
 */
class ContinuationMessagesTest {
    /** ffff len=24 nicira subtype 37, 6 pad; pause property (type 4, len 4) padded to 8. */
    static final String PAUSE = "ffff0018 00002320 0025 000000000000 0004 0004 00000000";

    /** As {@link #PAUSE}, with the max_len property (type 0, len 8) 128 first, as OVS orders them. */
    static final String PAUSE_128 = "ffff0020 00002320 0025 000000000000 0000 0008 0080 0000 0004 0004 00000000";

    private static String golden(String key) {
        return Fixtures.values("continuations.golden", key).get(0);
    }

    private static String ofpPrint(byte[] message) {
        Needs.command("ovs-ofctl");
        return Command.of("ovs-ofctl", "ofp-print", Fixtures.hex(message))
                .mergeStderr()
                .run()
                .stdout()
                .strip();
    }

    @Test
    void pauseIsControllerTwoWithOnlyThePausePropertyAsOvsEncodesIt() {
        for (var c : java.util.List.of(
                java.util.Map.entry("controller(pause)", PAUSE),
                java.util.Map.entry("controller(max_len=128,pause)", PAUSE_128))) {
            Flow flow = OfctlParser.parseFlow(
                    "table=1,priority=10,udp actions=set_field:0x5->reg0," + c.getKey() + ",goto_table:2");
            byte[] bytes = OfCodec.encode(FlowMod.add(1, flow));
            assertThat(Fixtures.hex(bytes)).contains(c.getValue().replace(" ", ""));
            assertThat(((FlowMod) OfCodec.decode(bytes)).flow()).contains(flow);
            assertThat(ofpPrint(bytes))
                    .isEqualTo(
                            "OFPT_FLOW_MOD (OF1.3) (xid=0x1): ADD table:1 priority=10,udp actions=set_field:0x5->reg0,"
                                    + c.getKey() + ",goto_table:2");
        }
    }

    @Test
    void pauseWithAnExplicitDefaultMaxLenIsPlainPauseAndWithAMeterIsOpaque() {
        String explicit = "ffff0020 00002320 0025 000000000000 0000 0008 ffff 0000 0004 0004 00000000";
        assertThat(ActionCodec.read(Unpooled.wrappedBuffer(Fixtures.hex(explicit)), new Opaque(), 0))
                .containsExactly(FlowAction.Pause.WHOLE);
        // controller(pause,meter_id=3), as parse-flow encodes it: not ours to reproduce
        String metered = "ffff0020 00002320 0025 000000000000 0004 0004 00000000 0005 0008 00000003";
        Opaque opaque = new Opaque();
        assertThat(ActionCodec.read(Unpooled.wrappedBuffer(Fixtures.hex(metered)), opaque, 0))
                .isEmpty();
        assertThat(opaque.reason()).contains("controller(pause) with reason 1 meter_id 3");
        // a pause property with a payload is not the flag OVS writes
        Opaque odd = new Opaque();
        ActionCodec.read(
                Unpooled.wrappedBuffer(Fixtures.hex("ffff0018 00002320 0025 000000000000 0004 0005 01000000")), odd, 0);
        assertThat(odd.reason()).contains("controller property 4");
    }

    @Test
    void setPacketInFormatAsOvsPrintsIt() {
        SetPacketInFormat m = new SetPacketInFormat(1, SetPacketInFormat.NXT_PACKET_IN2);
        // EXPERIMENTER, length 20, xid 1; Nicira, subtype 16; format 2 (NXPIF_NXT_PACKET_IN2)
        MessageGoldenTest.assertGolden(m, "04 04 0014 00000001 00002320 00000010 00000002");
        assertThat(ofpPrint(OfCodec.encode(m)))
                .isEqualTo("NXT_SET_PACKET_IN_FORMAT (OF1.3) (xid=0x1): format=nxt_packet_in2");
        assertThatThrownBy(() -> new SetPacketInFormat(1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(OfCodec.decode(Fixtures.hex("04 04 0014 00000001 00002320 00000010 00000003")))
                .isInstanceOf(OfMessage.Unknown.class);
    }

    @Test
    void pausedPacketFromALiveSwitchCarriesItsContinuationAndReEncodesByteForByte() {
        byte[] bytes = Fixtures.hex(golden("paused"));
        PacketIn p = (PacketIn) OfCodec.decode(bytes);
        assertThat(p.format()).isEqualTo(PacketIn.Format.NXT_PACKET_IN2);
        assertThat(p.isPaused()).isTrue();
        assertThat(p.data()).isEqualTo(Bytes.fromHex(golden("packet")));
        assertThat(p.totalLen()).isEqualTo(106);
        assertThat(p.bufferId()).isEqualTo(Wire.NO_BUFFER);
        assertThat(p.reason()).isEqualTo(PacketIn.REASON_ACTION);
        // OVS 3.1 names neither the pausing flow's table nor, without a recirculation before the
        // pause, its cookie (docs/ovs-notes.md §2.7 item 3)
        assertThat(p.tableId()).isZero();
        assertThat(p.cookie()).isEqualTo(PacketIn.NO_COOKIE);
        // raw OXMs, no ofp_match header: in_port=LOCAL, and reg0=5 loaded before the pause
        assertThat(p.rawMatch()).isEqualTo(Bytes.fromHex("80000004 fffffffe 00010004 00000005"));
        // the nested properties, opaque to us: NXCPT_BRIDGE (0x8000, the bridge's uuid) comes first
        assertThat(p.continuation().orElseThrow().hex()).startsWith("80000014");
        assertThat(p.continuation().orElseThrow().length()).isEqualTo(0x40 - 8);
        assertThat(OfCodec.encode(p)).isEqualTo(bytes);
    }

    @Test
    void resumeEchoesThePausedPacketExactlyAsOvsOfctlDoes() {
        PacketIn paused = (PacketIn) OfCodec.decode(Fixtures.hex(golden("paused")));
        Resume r = Resume.of(0, paused);
        assertThat(Fixtures.hex(OfCodec.encode(r))).isEqualTo(golden("resume"));
        assertThat(OfCodec.decode(Fixtures.hex(golden("resume")))).isEqualTo(r);
        assertThat(ofpPrint(OfCodec.encode(r)))
                .startsWith("NXT_RESUME (OF1.3) (xid=0x0): total_len=106 reg0=0x5,in_port=LOCAL (via action)"
                        + " data_len=106 (unbuffered)")
                .contains(" continuation.actions=unroll_xlate(table=0, cookie=0),resubmit(,5)");
    }

    @Test
    void auditCopyArrivesAsPacketIn2WithItsCookieTableAndWholeFrame() {
        byte[] bytes = Fixtures.hex(golden("copy"));
        PacketIn copy = (PacketIn) OfCodec.decode(bytes);
        assertThat(copy.format()).isEqualTo(PacketIn.Format.NXT_PACKET_IN2);
        assertThat(copy.isPaused()).isFalse();
        assertThat(copy.cookie()).isEqualTo(0x102a500000007L);
        assertThat(copy.tableId()).isEqualTo(3);
        assertThat(copy.reason()).isEqualTo(PacketIn.REASON_ACTION);
        assertThat(copy.data()).isEqualTo(Bytes.fromHex(golden("packet")));
        assertThat(copy.rawMatch()).isEqualTo(Bytes.fromHex("80000004 fffffffe"));
        assertThat(OfCodec.encode(copy)).isEqualTo(bytes);
        assertThatThrownBy(() -> Resume.of(1, copy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a paused packet");
    }

    /** nicira-ext.h: NXPINT_PACKET 0, FULL_LEN 1 (u32), TABLE_ID 3 (u8), COOKIE 4 (4 pad, be64), REASON 5, METADATA 6. */
    @Test
    void truncatedPacketIn2IsLaidOutAsTheSpecSaysAndCannotBeResumed() {
        PacketIn p = new PacketIn(
                5,
                Wire.NO_BUFFER,
                100,
                PacketIn.REASON_ACTION,
                3,
                0x0102030405060708L,
                Bytes.fromHex("80000004 00000001"),
                Bytes.fromHex("abcd"),
                PacketIn.Format.NXT_PACKET_IN2,
                Optional.empty());
        MessageGoldenTest.assertGolden(
                p,
                "04 04 0050 00000005 00002320 0000001e"
                        + " 0000 0006 abcd 0000" // packet, 2 bytes, padded
                        + " 0001 0008 00000064" // full_len 100: only for a truncated packet
                        + " 0003 0005 03 000000" // table_id
                        + " 0004 0010 00000000 0102030405060708" // cookie
                        + " 0005 0005 01 000000" // reason action
                        + " 0006 000c 80000004 00000001 00000000"); // metadata in_port=1, padded
        assertThat(ofpPrint(OfCodec.encode(p)))
                .startsWith("NXT_PACKET_IN2 (OF1.3) (xid=0x5): table_id=3 cookie=0x102030405060708 total_len=100"
                        + " in_port=1 (via action) data_len=2 (unbuffered)");
        PacketIn paused = PacketIn.packetIn2(
                6, 1, 0, PacketIn.NO_COOKIE, Bytes.EMPTY, Bytes.fromHex("abcd"), Optional.of(Bytes.fromHex("")));
        assertThat(Fixtures.hex(OfCodec.encode(Resume.of(7, paused))))
                .isEqualTo("0404003800000007000023200000001c" + "00000006abcd0000" + "0003000500000000"
                        + "0005000501000000" + "0006000400000000" + "0008000800000000");
        PacketIn truncated = new PacketIn(
                6,
                Wire.NO_BUFFER,
                3,
                1,
                0,
                PacketIn.NO_COOKIE,
                Bytes.EMPTY,
                Bytes.fromHex("abcd"),
                PacketIn.Format.NXT_PACKET_IN2,
                Optional.of(Bytes.EMPTY));
        assertThatThrownBy(() -> Resume.of(1, truncated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void malformedOrUnmodelledPacketIn2() {
        String head = "04 04 %04x 00000001 00002320 0000001e";
        // a property shorter than its own header: the stream cannot be trusted
        assertThatThrownBy(() -> OfCodec.decode(Fixtures.hex(String.format(head, 24) + "0000 0003 00000000")))
                .isInstanceOf(OfProtocolException.class);
        // no packet: OVS refuses it too (OFPBRC_BAD_LEN)
        assertThatThrownBy(() -> OfCodec.decode(Fixtures.hex(String.format(head, 24) + "0005 0005 01000000")))
                .isInstanceOf(OfProtocolException.class)
                .hasMessageContaining("without a packet");
        // full_len below the packet's length
        assertThatThrownBy(() -> OfCodec.decode(
                        Fixtures.hex(String.format(head, 32) + "0000 0006 abcd 0000 0001 0008 00000001")))
                .isInstanceOf(OfProtocolException.class);
        // userdata: we could not echo what the switch meant, so the message is not a PacketIn
        assertThat(OfCodec.decode(Fixtures.hex(String.format(head, 32) + "0000 0006 abcd 0000 0007 0005 01000000")))
                .isInstanceOf(OfMessage.Unknown.class);
        // the same property twice
        assertThat(OfCodec.decode(Fixtures.hex(String.format(head, 32) + "0000 0006 abcd 0000 0000 0006 abcd 0000")))
                .isInstanceOf(OfMessage.Unknown.class);
    }
}
