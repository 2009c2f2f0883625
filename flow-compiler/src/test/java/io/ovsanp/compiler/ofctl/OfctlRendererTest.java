package io.ovsanp.compiler.ofctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Expected strings are what OVS 3.1 {@code ovs-ofctl -O OpenFlow13 --no-stats dump-flows} printed. */
class OfctlRendererTest {

    private static Flow flow(int table, int priority, long cookie, Match m, FlowAction... actions) {
        return new Flow(TableId.of(table), Priority.of(priority), new Cookie(cookie), m, List.of(actions));
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text).cidr();
    }

    @Test
    void rendersTheBriefExampleWithTableFirstAndCookieInHex() {
        Flow f = flow(
                3,
                1000,
                0x2a500000007L,
                Match.source(Cidr.of(IpAddress.parse("10.0.0.1"))),
                new FlowAction.Conjunction(new ConjId(7), 1, 3),
                new FlowAction.Conjunction(new ConjId(8), 1, 3));
        assertThat(OfctlRenderer.render(f))
                .isEqualTo("table=3,priority=1000,cookie=0x2a500000007,ip,nw_src=10.0.0.1"
                        + " actions=conjunction(7,1/3),conjunction(8,1/3)");
    }

    @Test
    void putsProtocolShorthandAfterConntrackFieldsAndBeforeRegisters() {
        Match m = Match.ethType(IpFamily.V4)
                .with(Field.IN_PORT, 7)
                .with(Field.REG2, 3)
                .with(Field.CONJ_ID, 9)
                .with(Field.CT_ZONE, 3)
                .with(Field.CT_MARK, 5)
                .with(Field.REG0, 1);
        assertThat(OfctlRenderer.renderMatch(m))
                .isEqualTo("conj_id=9,ct_zone=3,ct_mark=0x5,ip,reg0=0x1,reg2=0x3,in_port=7");
    }

    @Test
    void printsNwProtoAfterTheAddressesAndTpDstLast() {
        Match m = Match.destination(cidr("2001:db8::/32")).with(Field.IP_PROTO, 47);
        assertThat(OfctlRenderer.renderMatch(m)).isEqualTo("ipv6,ipv6_dst=2001:db8::/32,nw_proto=47");
        Match tcp =
                Match.destination(cidr("1.2.3.4/32")).with(Field.IP_PROTO, 17).with(Field.TP_DST, 53);
        assertThat(OfctlRenderer.renderMatch(tcp)).isEqualTo("udp,nw_dst=1.2.3.4,tp_dst=53");
    }

    @Test
    void usesIcmpShorthandsOnlyForTheirOwnFamily() {
        assertThat(OfctlRenderer.renderMatch(Match.ethType(IpFamily.V4).with(Field.IP_PROTO, 1)))
                .isEqualTo("icmp");
        assertThat(OfctlRenderer.renderMatch(Match.ethType(IpFamily.V4).with(Field.IP_PROTO, 58)))
                .isEqualTo("ip,nw_proto=58");
        assertThat(OfctlRenderer.renderMatch(Match.ethType(IpFamily.V6).with(Field.IP_PROTO, 58)))
                .isEqualTo("icmp6");
        assertThat(OfctlRenderer.renderMatch(Match.ethType(IpFamily.V6).with(Field.IP_PROTO, 1)))
                .isEqualTo("ipv6,nw_proto=1");
        assertThat(OfctlRenderer.renderMatch(Match.ethType(IpFamily.V6).with(Field.IP_PROTO, 132)))
                .isEqualTo("sctp6");
    }

    @Test
    void writesOtherEthTypesAfterInPort() {
        assertThat(OfctlRenderer.renderMatch(
                        Match.ANY.with(Field.ETH_TYPE, 0x88cc).with(Field.IN_PORT, 1)))
                .isEqualTo("in_port=1,dl_type=0x88cc");
        assertThat(OfctlRenderer.renderMatch(
                        Match.ANY.with(Field.ETH_TYPE, 0x0806).with(Field.IN_PORT, 5)))
                .isEqualTo("arp,in_port=5");
        assertThat(OfctlRenderer.renderMatch(Match.ANY.with(Field.IN_PORT, 0xffff_fffeL)))
                .isEqualTo("in_port=LOCAL");
    }

    @Test
    void spellsMasksLikeOvs() {
        Match m = Match.ethType(IpFamily.V4)
                .with(Field.IP_PROTO, 6)
                .with(FieldMatch.masked(Field.TP_DST, 0, 1))
                .with(FieldMatch.masked(Field.REG0, 0, 1))
                .with(FieldMatch.masked(Field.REG1, 5, 0xff))
                .with(FieldMatch.exact(Field.REG3, 0));
        assertThat(OfctlRenderer.renderMatch(m)).isEqualTo("tcp,reg0=0/0x1,reg1=0x5/0xff,reg3=0,tp_dst=0x0/0x1");
        Match nonPrefix = Match.ANY
                .with(Field.ETH_TYPE, 0x0800)
                .with(FieldMatch.masked(Field.IPV4_SRC, 0x01000100L, 0xff00ff00L));
        assertThat(OfctlRenderer.renderMatch(nonPrefix)).isEqualTo("ip,nw_src=1.0.1.0/255.0.255.0");
    }

    @Test
    void writesConntrackStateAsSignedFlagsOrAsAnExactSetWhenEveryBitIsMasked() {
        assertThat(OfctlRenderer.renderMatch(ctState(0x21, 0x21))).isEqualTo("ct_state=+new+trk");
        assertThat(OfctlRenderer.renderMatch(ctState(0x22, 0x23))).isEqualTo("ct_state=-new+est+trk");
        assertThat(OfctlRenderer.renderMatch(ctState(0x01, 0x7f))).isEqualTo("ct_state=+new-est-rel-rpl-inv-trk-snat");
        assertThat(OfctlRenderer.renderMatch(ctState(0x21, 0xff))).isEqualTo("ct_state=new|trk");
        assertThat(OfctlRenderer.renderMatch(ctState(0, 0xff))).isEqualTo("ct_state=0");
        assertThatThrownBy(() -> OfctlRenderer.renderMatch(ctState(0x100, 0x100)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Match ctState(long value, long mask) {
        return Match.ANY.with(FieldMatch.masked(Field.CT_STATE, value, mask));
    }

    @Test
    void rendersEveryActionKind() {
        Match ip = Match.ethType(IpFamily.V4);
        assertThat(OfctlRenderer.renderActions(List.of())).isEqualTo("drop");
        assertThat(OfctlRenderer.renderActions(List.of(
                        new FlowAction.Output(0xffff_fffeL),
                        new FlowAction.Output(0xffff_fff8L),
                        new FlowAction.Output(0xffff_fffbL),
                        new FlowAction.Output(0xffff_fffcL),
                        new FlowAction.Output(65279),
                        FlowAction.Output.NORMAL)))
                .isEqualTo("LOCAL,IN_PORT,FLOOD,ALL,output:65279,NORMAL");
        Flow ct = flow(
                1,
                11,
                0,
                Match.ethType(IpFamily.V6),
                new FlowAction.Ct(true, 65000, Optional.empty(), List.of(new FlowAction.SetField(Field.CT_MARK, 1))),
                new FlowAction.GotoTable(TableId.of(7)));
        assertThat(OfctlRenderer.render(ct))
                .isEqualTo(
                        "table=1,priority=11,cookie=0x0,ipv6 actions=ct(commit,zone=65000,exec(set_field:0x1->ct_mark)),goto_table:7");
        Flow regs = flow(
                1,
                12,
                0,
                ip,
                new FlowAction.SetField(Field.REG0, 5),
                new FlowAction.SetField(Field.REG7, 0),
                new FlowAction.Resubmit(TableId.of(4)),
                new FlowAction.Ct(true, 9, Optional.of(TableId.of(3)), List.of()),
                new FlowAction.Ct(false, 0, Optional.of(TableId.of(2)), List.of()),
                new FlowAction.Ct(false, 0, Optional.empty(), List.of()));
        assertThat(OfctlRenderer.renderActions(regs.actions()))
                .isEqualTo(
                        "set_field:0x5->reg0,set_field:0->reg7,resubmit(,4),ct(commit,table=3,zone=9),ct(table=2),ct()");
    }

    @Test
    void renderAllIntroducesEachTableWithItsNameAndPurpose() {
        PipelineSpec p = PipelineSpec.standalone();
        FlowSet flows = FlowSet.of(List.of(
                flow(3, 0, 1, Match.ANY, new FlowAction.GotoTable(TableId.of(4))),
                flow(0, 0, 1, Match.ANY, FlowAction.Output.NORMAL),
                flow(3, 5, 1, Match.ANY)));
        assertThat(OfctlRenderer.renderAll(flows, p))
                .isEqualTo(
                        "# table 0: Classifier — IPv4/IPv6 to conntrack; ARP, non-IP and IPv6 link-local multicast to NORMAL\n"
                                + "table=0,priority=0,cookie=0x1 actions=NORMAL\n"
                                + "# table 3: AdminEgress — Admin tier egress (ANPs, Admin CNPs) by precedence: Allow, Deny, Pass\n"
                                + "table=3,priority=5,cookie=0x1 actions=drop\n"
                                + "table=3,priority=0,cookie=0x1 actions=goto_table:4\n");
    }

    @Test
    void everyActionKindRendersAndParsesBack() {
        Match ip = Match.ethType(IpFamily.V4);
        List<FlowAction> samples = List.of(
                new FlowAction.Output(3),
                new FlowAction.GotoTable(TableId.of(9)),
                new FlowAction.Resubmit(TableId.of(2)),
                new FlowAction.Conjunction(new ConjId(4), 2, 2),
                new FlowAction.Ct(
                        true, 7, Optional.of(TableId.of(4)), List.of(new FlowAction.SetField(Field.CT_MARK, 2))),
                new FlowAction.SetField(Field.REG5, 0xffff_ffffL),
                new FlowAction.Controller(128, 42405),
                FlowAction.Pause.WHOLE,
                new FlowAction.Pause(128));
        assertThat(samples.stream().map(Object::getClass).distinct())
                .containsExactlyInAnyOrder(FlowAction.class.getPermittedSubclasses());
        for (FlowAction a : samples) {
            Flow f = flow(1, 5, 0x1, ip, a);
            assertThat(OfctlParser.parseFlow(OfctlRenderer.render(f))).isEqualTo(f);
        }
    }
}
