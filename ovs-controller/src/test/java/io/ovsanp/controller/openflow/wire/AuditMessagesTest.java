package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.controller.audit.FrameHeadersAccess;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import org.junit.jupiter.api.Test;

/**
 * The audit log's messages byte for byte: the copy action NXAST_CONTROLLER2 as OVS 3.1 writes it
 * ({@code ovs-ofctl parse-actions} re-encodes these bytes unchanged), METER_MOD as {@code ovs-ofctl
 * ofp-print} reads it, PACKET_IN both ways.
 */
class AuditMessagesTest {
    static final String COPY_FLOW = "table=3,priority=200,cookie=0x102a500000007,udp,nw_dst=203.0.113.0/24"
            + " actions=controller(max_len=128,meter_id=7),goto_table:6";

    /** ffff len=32 nicira subtype 37, 6 pad; max_len property (type 0, len 8) 128; meter_id property (5, 8) 7. */
    static final String COPY_ACTION = "ffff0020 00002320 0025 000000000000 0000 0008 0080 0000 0005 0008 00000007";

    @Test
    void copyActionIsControllerTwoWithMaxLenAndMeter() {
        Flow flow = OfctlParser.parseFlow(COPY_FLOW);
        String bytes = Fixtures.hex(OfCodec.encode(FlowMod.add(1, flow)));
        assertThat(bytes).contains(COPY_ACTION.replace(" ", ""));
        FlowMod back = (FlowMod) OfCodec.decode(Fixtures.hex(bytes));
        assertThat(back.flow()).contains(flow);
    }

    @Test
    void copyActionWithAnotherPropertyIsOpaque() {
        assertThat(ActionCodec.read(
                        Unpooled.wrappedBuffer(Fixtures.hex(COPY_ACTION.replace(" ", ""))), new Opaque(), 0))
                .containsExactly(new FlowAction.Controller(128, 7));
        // userdata (type 3) 01.02: not ours to reproduce, so the flow must be replaced, not trusted.
        String withUserdata =
                "ffff0028 00002320 0025 000000000000 0000 0008 0080 0000 0005 0008 00000007" + " 0003 0006 0102 0000";
        Opaque opaque = new Opaque();
        ActionCodec.read(Unpooled.wrappedBuffer(Fixtures.hex(withUserdata.replace(" ", ""))), opaque, 0);
        assertThat(opaque.reason()).contains("controller property 3");
        // without a meter the copies would not be limited: also not ours
        Opaque unmetered = new Opaque();
        ActionCodec.read(
                Unpooled.wrappedBuffer(Fixtures.hex("ffff0018000023200025000000000000 0000000800800000")),
                unmetered,
                0);
        assertThat(unmetered.any()).isTrue();
    }

    @Test
    void meterModAsOvsPrintsIt() {
        MeterMod m = new MeterMod(1, MeterMod.Command.ADD, 165, 100, 0);
        String hex = "04 1d 0020 00000001 0000 000a 000000a5 0001 0010 00000064 00000000 00000000";
        MessageGoldenTest.assertGolden(m, hex);
        Needs.command("ovs-ofctl");
        assertThat(Command.of("ovs-ofctl", "ofp-print", hex.replace(" ", ""))
                        .run()
                        .stdout()
                        .strip())
                .isEqualTo("OFPT_METER_MOD (OF1.3) (xid=0x1): ADD meter=165 pktps stats bands=\ntype=drop rate=100");
    }

    @Test
    void packetInRoundTripsWithItsMatchAndFrame() {
        byte[] frame = FrameHeadersAccess.udpFrame();
        PacketIn p = new PacketIn(
                0,
                Wire.NO_BUFFER,
                frame.length,
                PacketIn.REASON_ACTION,
                3,
                0x102a500000007L,
                Bytes.of(Fixtures.hex("80000004 00000001")),
                Bytes.of(frame));
        byte[] bytes = OfCodec.encode(p);
        assertThat(OfCodec.decode(bytes)).isEqualTo(p);
        Needs.command("ovs-ofctl");
        String printed =
                Command.of("ovs-ofctl", "ofp-print", Fixtures.hex(bytes)).run().stdout();
        assertThat(printed)
                .startsWith("OFPT_PACKET_IN (OF1.3) (xid=0x0): table_id=3 cookie=0x102a500000007 total_len=42 in_port=1"
                        + " (via action)")
                .contains("nw_src=10.244.0.1,nw_dst=203.0.113.5")
                .contains("tp_dst=53");
    }
}
