package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.testing.RandomFlows;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our encoder's bytes, decoded by OVS ({@code ovs-ofctl ofp-print}, the decoding oracle of
 * docs/ovs-notes.md §3), print as the flow that {@link OfctlRenderer} renders: this catches any
 * field the golden files miss. Without ovs-ofctl it is skipped, except with {@code CI=true}.
 */
class OfctlOracleTest {
    @BeforeAll
    static void oracle() {
        Needs.command("ovs-ofctl");
    }

    /** {@code ovs-ofctl ofp-print HEX}: OVS's decoding of one message. */
    private static String ofpPrint(byte[] message) {
        return Command.of("ovs-ofctl", "ofp-print", Fixtures.hex(message))
                .mergeStderr()
                .run()
                .stdout()
                .strip();
    }

    static Stream<Flow> flows() {
        List<Flow> flows = new ArrayList<>();
        Fixtures.flowMods().forEach(g -> flows.add(OfctlParser.parseFlow(g.flow())));
        Random r = new Random(20261125);
        for (int i = 0; i < 150; i++) {
            flows.add(RandomFlows.flow(r));
        }
        return flows.stream();
    }

    @ParameterizedTest
    @MethodSource("flows")
    void ovsPrintsOurFlowModAsTheRenderedFlow(Flow flow) {
        String printed = ofpPrint(OfCodec.encode(FlowMod.add(0x42, flow)));
        assertThat(printed).isEqualTo("OFPT_FLOW_MOD (OF1.3) (xid=0x42): " + expected(flow));
    }

    static Stream<Arguments> messages() {
        Flow conj = OfctlParser.parseFlow(MessageGoldenTest.CONJ_FLOW);
        String conjPrinted = "OFPT_FLOW_MOD (OF1.3) (xid=0x1): ADD table:3 priority=32550,tcp,tp_dst=0x7530/0xfff0"
                + " cookie:0x102a500000001 actions=conjunction(1,3/3)";
        Flow.FlowKey key = OfctlParser.parseFlow("table=3,priority=200,ip,nw_dst=10.96.0.0/12 actions=drop")
                .key();
        return Stream.of(
                Arguments.of(OfMessage.Hello.of13(1), "OFPT_HELLO (OF1.3) (xid=0x1):\n version bitmap: 0x04"),
                Arguments.of(
                        new ErrorMsg(1, OfError.BAD_CONJUNCTION, Bytes.of(OfCodec.encode(FlowMod.add(1, conj)))),
                        "OFPT_ERROR (OF1.3) (xid=0x1): NXBAC_BAD_CONJUNCTION\n" + conjPrinted),
                Arguments.of(
                        new ErrorMsg(
                                0x204,
                                OfError.BUNDLE_MSG_FAILED,
                                Bytes.of(OfCodec.encode(
                                        new BundleControl(0x204, 1, BundleControl.Type.COMMIT_REQUEST, 3)))),
                        "OFPT_ERROR (OF1.3) (xid=0x204): OFPBFC_MSG_FAILED\nONFT_BUNDLE_CONTROL (OF1.3) (xid=0x204):\n"
                                + " bundle_id=0x1 type=COMMIT_REQUEST flags=atomic ordered"),
                Arguments.of(
                        new ErrorMsg(3, OfError.standard(4, 9), Bytes.EMPTY),
                        "OFPT_ERROR (OF1.3) (xid=0x3): OFPBMC_BAD_PREREQ\nOpenFlow message is empty"),
                Arguments.of(
                        new BundleControl(2, 7, BundleControl.Type.DISCARD_REQUEST, 3),
                        "ONFT_BUNDLE_CONTROL (OF1.3) (xid=0x2):\n bundle_id=0x7 type=DISCARD_REQUEST flags=atomic ordered"),
                Arguments.of(
                        new BundleAdd(1, 1, 3, FlowMod.add(1, conj)),
                        "ONFT_BUNDLE_ADD_MESSAGE (OF1.3) (xid=0x1):\n bundle_id=0x1 flags=atomic ordered\n"
                                + conjPrinted),
                Arguments.of(
                        FlowMod.deleteStrict(8, key),
                        "OFPT_FLOW_MOD (OF1.3) (xid=0x8): DEL_STRICT table:3 priority=200,ip,nw_dst=10.96.0.0/12"
                                + " actions=drop"),
                Arguments.of(
                        FlowMod.modifyStrict(9, conj),
                        "OFPT_FLOW_MOD (OF1.3) (xid=0x9): MOD_STRICT table:3 priority=32550,tcp,tp_dst=0x7530/0xfff0"
                                + " actions=conjunction(1,3/3)"),
                Arguments.of(
                        FlowMod.deleteByCookie(7, Optional.empty(), new Cookie(0xa500000000L), Cookie.OWNER_MASK),
                        "OFPT_FLOW_MOD (OF1.3) (xid=0x7): DEL table:255 cookie:0xa500000000/0xff00000000 actions=drop"),
                Arguments.of(
                        new FlowStatsRequest(5, Optional.of(TableId.of(3)), new Cookie(0), 0, key.match()),
                        "OFPST_FLOW request (OF1.3) (xid=0x5): table=3 ip,nw_dst=10.96.0.0/12"),
                Arguments.of(
                        new OfMessage.SetConfig(11, 0, 0xffff),
                        "OFPT_SET_CONFIG (OF1.3) (xid=0xb): frags=normal miss_send_len=65535"),
                Arguments.of(new OfMessage.BarrierRequest(13), "OFPT_BARRIER_REQUEST (OF1.3) (xid=0xd):"),
                Arguments.of(new OfMessage.FeaturesRequest(14), "OFPT_FEATURES_REQUEST (OF1.3) (xid=0xe):"),
                Arguments.of(
                        RoleMessage.request(15, RoleMessage.Role.MASTER, 0xffff_ffff_ffff_fffeL),
                        "OFPT_ROLE_REQUEST (OF1.3) (xid=0xf): role=primary generation_id=18446744073709551614"),
                Arguments.of(
                        RoleMessage.request(16, RoleMessage.Role.SLAVE, 42),
                        "OFPT_ROLE_REQUEST (OF1.3) (xid=0x10): role=secondary generation_id=42"),
                Arguments.of(
                        RoleMessage.request(17, RoleMessage.Role.NOCHANGE, 0),
                        "OFPT_ROLE_REQUEST (OF1.3) (xid=0x11): role=nochange"),
                Arguments.of(
                        new RoleMessage(18, true, RoleMessage.Role.EQUAL, 7),
                        "OFPT_ROLE_REPLY (OF1.3) (xid=0x12): role=equal generation_id=7"),
                Arguments.of(
                        new ErrorMsg(19, OfError.ROLE_STALE, Bytes.EMPTY),
                        "OFPT_ERROR (OF1.3) (xid=0x13): OFPRRFC_STALE\nOpenFlow message is empty"),
                Arguments.of(
                        new ErrorMsg(20, OfError.IS_SECONDARY, Bytes.EMPTY),
                        "OFPT_ERROR (OF1.3) (xid=0x14): OFPBRC_IS_SECONDARY\nOpenFlow message is empty"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void ovsPrintsOurMessagesAsIntended(OfMessage message, String printed) {
        assertThat(ofpPrint(OfCodec.encode(message))).isEqualTo(printed);
    }

    /** {@code ovs-ofctl -O OpenFlow13 print-error NAME} gives the numbers; our name for them must match. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "OFPHFC_INCOMPATIBLE",
                "OFPBRC_BAD_TYPE",
                "OFPBRC_MULTIPART_BUFFER_OVERFLOW",
                "OFPBAC_BAD_TYPE",
                "OFPBAC_BAD_OUT_PORT",
                "OFPBAC_MATCH_INCONSISTENT",
                "OFPBAC_BAD_SET_ARGUMENT",
                "OFPBIC_UNSUP_INST",
                "OFPBIC_BAD_TABLE_ID",
                "OFPBIC_DUP_INST",
                "OFPBMC_BAD_FIELD",
                "OFPBMC_BAD_PREREQ",
                "OFPBMC_DUP_FIELD",
                "OFPFMFC_TABLE_FULL",
                "OFPFMFC_OVERLAP",
                "OFPFMFC_BAD_COMMAND",
                "OFPRRFC_STALE",
                "OFPBRC_IS_SECONDARY",
                "NXBAC_BAD_CONJUNCTION",
                "NXBAC_MUST_BE_ZERO",
                "NXBRC_NXM_INVALID",
                "NXBAC_CT_DATAPATH_SUPPORT",
                "NXFMFC_HARDWARE",
                "OFPBFC_UNKNOWN",
                "OFPBFC_BAD_ID",
                "OFPBFC_BAD_FLAGS",
                "OFPBFC_MSG_BAD_XID",
                "OFPBFC_MSG_UNSUP",
                "OFPBFC_MSG_FAILED",
                "OFPBFC_TIMEOUT",
                "OFPBFC_BUNDLE_IN_PROGRESS"
            })
    void errorNamesMatchOvs(String name) {
        String out = Command.of("ovs-ofctl", "-O", "OpenFlow13", "print-error", name)
                .mergeStderr()
                .run()
                .stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "OpenFlow 1\\.3: vendor (0x[0-9a-f]+|0), type (\\d+), code (\\d+)")
                .matcher(out);
        assertThat(m.find()).as(out).isTrue();
        long vendor = Long.decode(m.group(1));
        int type = Integer.parseInt(m.group(2));
        int code = Integer.parseInt(m.group(3));
        OfError e = vendor == 0 ? OfError.standard(type, code) : new OfError(OfError.EXPERIMENTER_TYPE, type, vendor);
        assertThat(e.name()).isEqualTo(name);
    }

    /**
     * How ofp-print writes a FLOW_MOD ADD: table and priority only when not 0 / 32768, the cookie
     * after the match unless it is 0 or all-ones (OVS_BE64_MAX, which ofp-print hides; the flow is
     * still installed with that cookie).
     */
    static String expected(Flow f) {
        boolean cookie = f.cookie().value() != 0 && f.cookie().value() != -1L;
        StringBuilder b = new StringBuilder("ADD ");
        if (f.table().value() != 0) {
            b.append("table:").append(f.table().value()).append(' ');
        }
        String match = OfctlRenderer.renderMatch(f.match());
        List<String> head = new ArrayList<>();
        if (f.priority().value() != OfctlParser.DEFAULT_PRIORITY) {
            head.add("priority=" + f.priority().value());
        }
        if (!match.isEmpty()) {
            head.add(match);
        }
        b.append(String.join(",", head));
        if (cookie) {
            b.append(head.isEmpty() ? "" : " ")
                    .append("cookie:")
                    .append(f.cookie().hex());
        }
        if (!head.isEmpty() || cookie) {
            b.append(' ');
        }
        return b.append("actions=")
                .append(OfctlRenderer.renderActions(f.actions()))
                .toString();
    }
}
