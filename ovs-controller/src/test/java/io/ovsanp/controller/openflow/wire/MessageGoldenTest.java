package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.OfctlParser;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Messages other than FLOW_MOD ADD, byte for byte. Sources: docs/ovs-notes.md §2.5 (bundles, verified
 * there with ofp-print), a live OVS 3.1 (switch-replies.golden), and OpenFlow 1.3.5 §7 layouts
 * that {@link OfctlOracleTest} has OVS decode.
 */
class MessageGoldenTest {
    static final String CONJ_FLOW =
            "table=3,priority=32550,cookie=0x102a500000001,tcp,tp_dst=0x7530/0xfff0" + " actions=conjunction(1,3/3)";

    static byte[] flowModBytes(String flow) {
        return Fixtures.flowMods().stream()
                .filter(g -> g.flow().equals(flow))
                .findFirst()
                .orElseThrow()
                .bytes();
    }

    static void assertGolden(OfMessage message, String hex) {
        assertThat(Fixtures.hex(OfCodec.encode(message))).isEqualTo(hex.replace(" ", ""));
        assertThat(OfCodec.decode(Fixtures.hex(hex))).isEqualTo(message);
    }

    @Test
    void helloAdvertisesOpenFlow13Only() {
        assertGolden(OfMessage.Hello.of13(1), "04 00 0010 00000001 0001 0008 00000010");
    }

    @Test
    void helloFromANewerSwitchListsItsBitmap() {
        // OVS with protocols unset: header version 6, bitmap OF1.0..OF1.5.
        OfMessage m = OfCodec.decode(Fixtures.hex("06 00 0010 00000007 0001 0008 0000007e"));
        assertThat(m).isEqualTo(new OfMessage.Hello(7, Set.of(1, 2, 3, 4, 5, 6)));
        assertThat(((OfMessage.Hello) m).supports13()).isTrue();
    }

    @Test
    void helloWithoutBitmapMeansEveryVersionUpToTheHeaders() {
        assertThat(OfCodec.decode(Fixtures.hex("04 00 0008 00000002")))
                .isEqualTo(new OfMessage.Hello(2, Set.of(1, 2, 3, 4)));
    }

    @Test
    void featuresReplyFromALiveSwitch() {
        String hex = Fixtures.values("switch-replies.golden", "features").get(0);
        OfMessage.FeaturesReply f = (OfMessage.FeaturesReply) OfCodec.decode(Fixtures.hex(hex));
        assertThat(f.datapathId()).isEqualTo(new DatapathId(0xabcde));
        assertThat(f.datapathId().toString()).isEqualTo("00000000000abcde");
        assertThat(f.nTables()).isEqualTo(254);
        assertThat(f.capabilities()).isEqualTo(0x4f);
        assertThat(Fixtures.hex(OfCodec.encode(f))).isEqualTo(hex);
    }

    @Test
    void niciraErrorNamesTheConjunctionProblemAndTheFailedFlow() {
        byte[] fm = flowModBytes(CONJ_FLOW);
        String hex = String.format("04 01 %04x 00000001 ffff 000f 00002320", 16 + fm.length) + Fixtures.hex(fm);
        ErrorMsg e = (ErrorMsg) OfCodec.decode(Fixtures.hex(hex));
        assertThat(e.error()).isEqualTo(OfError.BAD_CONJUNCTION);
        assertThat(e.error().name()).isEqualTo("NXBAC_BAD_CONJUNCTION");
        assertThat(e.failedRequest()).contains(FlowMod.add(1, OfctlParser.parseFlow(CONJ_FLOW)));
        assertThat(e.describe()).startsWith("NXBAC_BAD_CONJUNCTION (xid=0x1): FlowMod[");
        assertThat(Fixtures.hex(OfCodec.encode(e))).isEqualTo(hex.replace(" ", ""));
    }

    @Test
    void onfBundleErrorIsMsgFailed() {
        String commit = "04 04 0018 00000204 4f4e4600 000008fc 00000001 0004 0003";
        String hex = "04 01 0028 00000204 ffff 0909 4f4e4600 " + commit;
        ErrorMsg e = (ErrorMsg) OfCodec.decode(Fixtures.hex(hex));
        assertThat(e.error()).isEqualTo(OfError.BUNDLE_MSG_FAILED);
        assertThat(e.error().name()).isEqualTo("OFPBFC_MSG_FAILED");
        assertThat(e.failedRequest()).contains(new BundleControl(0x204, 1, BundleControl.Type.COMMIT_REQUEST, 3));
        assertGolden(e, hex);
    }

    @Test
    void standardErrorKeepsTruncatedDataAsBytes() {
        String hex = "04 01 0014 00000009 0002 0000 040e0060 00000009";
        ErrorMsg e = (ErrorMsg) OfCodec.decode(Fixtures.hex(hex));
        assertThat(e.error().name()).isEqualTo("OFPBAC_BAD_TYPE");
        assertThat(e.failedRequest()).isEmpty();
        assertThat(e.data()).isEqualTo(Bytes.fromHex("040e006000000009"));
        assertThat(e.describe()).isEqualTo("OFPBAC_BAD_TYPE (xid=0x9): 040e006000000009");
    }

    @Test
    void bundleControlOpenAsInOvsNotes() {
        assertGolden(
                new BundleControl(1, 1, BundleControl.Type.OPEN_REQUEST, BundleControl.ATOMIC | BundleControl.ORDERED),
                "04 04 0018 00000001 4f4e4600 000008fc 00000001 0000 0003");
    }

    @Test
    void bundleCommitReplyFromSwitch() {
        assertGolden(
                new BundleControl(5, 1, BundleControl.Type.COMMIT_REPLY, 0),
                "04 04 0018 00000005 4f4e4600 000008fc 00000001 0005 0000");
    }

    @Test
    void bundleAddWrapsACompleteFlowModWithTheSameXid() {
        byte[] fm = flowModBytes(CONJ_FLOW); // xid 1, 96 bytes as in docs/ovs-notes.md §2.5
        assertThat(fm).hasSize(96);
        String hex = "04 04 0078 00000001 4f4e4600 000008fd 00000001 0000 0003" + Fixtures.hex(fm);
        assertGolden(new BundleAdd(1, 1, 3, FlowMod.add(1, OfctlParser.parseFlow(CONJ_FLOW))), hex);
    }

    @Test
    void flowStatsRequestForOurCookies() {
        assertGolden(
                FlowStatsRequest.ours(5),
                "04 12 0038 00000005 0001 0000 00000000 ff 000000 ffffffff ffffffff 00000000"
                        + " 000000a500000000 000000ff00000000 0001 0004 00000000");
    }

    @Test
    void flowStatsRequestOfOneTableAndMatch() {
        Match m = OfctlParser.parseFlow("reg0=0x5 actions=drop").match();
        assertGolden(
                new FlowStatsRequest(6, Optional.of(TableId.of(8)), new Cookie(0), 0, m),
                "04 12 0040 00000006 0001 0000 00000000 08 000000 ffffffff ffffffff 00000000"
                        + " 0000000000000000 0000000000000000 0001 000c 00010004 00000005 00000000");
    }

    @Test
    void deletesAndModify() {
        Flow f = OfctlParser.parseFlow(
                "table=3,priority=200,cookie=0x5,ip,nw_dst=10.96.0.0/12 actions=conjunction(5,2/3)");
        String head = " 0001 0016 80000a02 0800 80001908 0a600000 fff00000 0000";
        assertGolden(
                FlowMod.deleteStrict(8, f.key()),
                "04 0e 0048 00000008 0000000000000000 0000000000000000 03 04 0000 0000 00c8"
                        + " ffffffff ffffffff ffffffff 0000 0000" + head);
        assertGolden(
                FlowMod.modifyStrict(9, f),
                "04 0e 0060 00000009 0000000000000005 0000000000000000 03 02 0000 0000 00c8"
                        + " ffffffff ffffffff ffffffff 0000 0000" + head
                        + " 0004 0018 00000000 ffff 0010 00002320 0022 01 03 00000005");
        assertGolden(
                FlowMod.deleteByCookie(7, Optional.empty(), new Cookie(0xa500000000L), Cookie.OWNER_MASK),
                "04 0e 0038 00000007 000000a500000000 000000ff00000000 ff 03 0000 0000 8000"
                        + " ffffffff ffffffff ffffffff 0000 0000 0001 0004 00000000");
    }

    @Test
    void smallMessages() {
        assertGolden(new OfMessage.SetConfig(11, 0, OfMessage.SetConfig.NO_BUFFER), "0409000c0000000b0000ffff");
        assertGolden(new OfMessage.EchoRequest(12, Bytes.fromHex("abcd")), "0402000a0000000cabcd");
        assertGolden(new OfMessage.EchoReply(12, Bytes.EMPTY), "040300080000000c");
        assertGolden(new OfMessage.BarrierRequest(13), "041400080000000d");
        assertGolden(new OfMessage.BarrierReply(13), "041500080000000d");
        assertGolden(new OfMessage.FeaturesRequest(14), "040500080000000e");
    }

    @Test
    void unknownTypesStayUnknownAndReencode() {
        // OFPT_PORT_STATUS (12) and an ONF flow-monitor PAUSED experimenter message (1871).
        assertGolden(
                new OfMessage.Unknown(12, 3, Bytes.fromHex("0200000000000000")), "040c0010000000030200000000000000");
        assertGolden(
                new OfMessage.Unknown(4, 4, Bytes.fromHex("4f4e46000000074f")), "04040010000000044f4e46000000074f");
        // a multipart reply of another type (OFPMP_DESC = 0) is unknown too
        OfMessage desc = OfCodec.decode(Fixtures.hex("04130010000000050000000000000000"));
        assertThat(desc).isEqualTo(new OfMessage.Unknown(19, 5, Bytes.fromHex("0000000000000000")));
    }

    @Test
    void flowModFromDumpedFlowDeletesByRawMatch() {
        DumpedFlow d = DumpedFlow.of(OfctlParser.parseFlow("table=3,priority=5,cookie=0x7,ip actions=drop"));
        FlowMod del = FlowMod.deleteStrict(3, d);
        assertThat(del.rawMatch()).contains(Bytes.fromHex("80000a020800"));
        assertThat(Fixtures.hex(OfCodec.encode(del)))
                .isEqualTo(Fixtures.hex(OfCodec.encode(new FlowMod(
                        3,
                        FlowMod.Command.DELETE_STRICT,
                        Optional.of(TableId.of(3)),
                        Priority.of(5),
                        new Cookie(7),
                        -1L,
                        OfctlParser.parseFlow("ip actions=drop").match(),
                        Optional.empty(),
                        java.util.List.of(),
                        0,
                        0,
                        0))));
    }

    @Test
    void everyMessageKindRoundTrips() {
        Flow f = OfctlParser.parseFlow(CONJ_FLOW);
        java.util.List<OfMessage> samples = java.util.List.of(
                OfMessage.Hello.of13(1),
                new OfMessage.EchoRequest(2, Bytes.fromHex("01")),
                new OfMessage.EchoReply(2, Bytes.fromHex("01")),
                new OfMessage.FeaturesRequest(3),
                new OfMessage.FeaturesReply(3, new DatapathId(-1L), 0xffff_ffffL, 254, 1, 0x4f),
                new OfMessage.SetConfig(4, 0, 0xffff),
                new OfMessage.BarrierRequest(5),
                new OfMessage.BarrierReply(5),
                new OfMessage.Unknown(12, 6, Bytes.EMPTY),
                new ErrorMsg(7, OfError.standard(5, 3), Bytes.EMPTY),
                FlowMod.add(0xffff_ffffL, f),
                FlowStatsRequest.ours(8),
                new FlowStatsReply(8, true, java.util.List.of(DumpedFlow.of(f))),
                new BundleControl(9, 0xffff_ffffL, BundleControl.Type.DISCARD_REPLY, 0),
                new BundleAdd(10, 1, 3, FlowMod.deleteStrict(10, f.key())),
                new RoleMessage(11, true, RoleMessage.Role.NOCHANGE, -1L),
                new PacketIn(
                        12,
                        Wire.NO_BUFFER,
                        2,
                        PacketIn.REASON_ACTION,
                        3,
                        0x102a500000007L,
                        Bytes.of(Fixtures.hex("80000004 00000001")),
                        Bytes.fromHex("abcd")),
                PacketIn.packetIn2(
                        12,
                        PacketIn.REASON_ACTION,
                        0,
                        PacketIn.NO_COOKIE,
                        Bytes.of(Fixtures.hex("80000004 00000001")),
                        Bytes.fromHex("abcd"),
                        Optional.of(Bytes.fromHex("8000000400000000"))),
                new SetPacketInFormat(14, SetPacketInFormat.NXT_PACKET_IN2),
                new Resume(
                        15,
                        Bytes.fromHex("abcd"),
                        0,
                        PacketIn.NO_COOKIE,
                        PacketIn.REASON_ACTION,
                        Bytes.EMPTY,
                        Bytes.fromHex("8000000400000000")),
                new MeterMod(13, MeterMod.Command.ADD, 165, 100, 0));
        assertThat(samples.stream().map(Object::getClass).collect(java.util.stream.Collectors.toSet()))
                .containsExactlyInAnyOrder(OfMessage.class.getPermittedSubclasses());
        for (OfMessage m : samples) {
            assertThat(OfCodec.decode(OfCodec.encode(m))).isEqualTo(m);
        }
    }

    /** OpenFlow 1.3.5 §7.3.9: role u32, pad 4, generation_id u64; {@link OfctlOracleTest} has OVS print them. */
    @Test
    void roleRequestAndReply() {
        assertGolden(
                RoleMessage.request(5, RoleMessage.Role.MASTER, 0xffff_ffff_ffff_fffeL),
                "04 18 0018 00000005 00000002 00000000 fffffffffffffffe");
        assertGolden(
                new RoleMessage(5, true, RoleMessage.Role.SLAVE, 42),
                "04 19 0018 00000005 00000003 00000000 000000000000002a");
    }

    @Test
    void roleOutsideTheFourIsAProtocolError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> OfCodec.decode(Fixtures.hex("04 19 0018 00000005 00000004 00000000 000000000000002a")))
                .isInstanceOf(OfProtocolException.class)
                .hasMessageContaining("unknown controller role 4");
    }
}
