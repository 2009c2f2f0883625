package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.ofctl.OfctlParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every flow shape ovs-anp emits, against the bytes OVS's own encoder produces for it ({@code
 * ovs-ofctl -O OpenFlow13 -mmmmm parse-flow}, xid 1; see flow-mods.golden and wire-golden.sh).
 */
class FlowModGoldenTest {
    static List<Fixtures.GoldenFlow> golden() {
        return Fixtures.flowMods();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void encodesLikeOvs(Fixtures.GoldenFlow g) {
        Flow flow = OfctlParser.parseFlow(g.flow());
        assertThat(Fixtures.hex(OfCodec.encode(FlowMod.add(1, flow)))).isEqualTo(Fixtures.hex(g.bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void decodesOvsBytesToTheParsedFlow(Fixtures.GoldenFlow g) {
        OfMessage m = OfCodec.decode(g.bytes());
        assertThat(m).isInstanceOf(FlowMod.class);
        FlowMod fm = (FlowMod) m;
        assertThat(fm.command()).isEqualTo(FlowMod.Command.ADD);
        assertThat(fm.xid()).isEqualTo(1);
        assertThat(fm.flow()).contains(OfctlParser.parseFlow(g.flow()));
        assertThat(fm).isEqualTo(FlowMod.add(1, OfctlParser.parseFlow(g.flow())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void reencodesDecodedBytesUnchanged(Fixtures.GoldenFlow g) {
        assertThat(OfCodec.encode(OfCodec.decode(g.bytes()))).isEqualTo(g.bytes());
    }

    @Test
    void fixturesCoverEveryActionAndMatchKind() {
        String all = String.join(
                "\n", golden().stream().map(Fixtures.GoldenFlow::flow).toList());
        assertThat(all)
                .contains("conjunction(", "),conjunction(", "conj_id=", "resubmit(,", "set_field:", "->reg")
                .contains("ct(commit", "ct(table=", "exec(set_field:", "->ct_mark", "goto_table:", "NORMAL")
                .contains("ct_state=", "ct_zone=", "ct_mark=", "reg0=0x5/0xff", "in_port=")
                .contains("ipv6_src=", "ipv6_dst=", "tcp,", "udp,", "sctp6,", "tp_dst=0x", "/255.0.255.0");
    }
}
