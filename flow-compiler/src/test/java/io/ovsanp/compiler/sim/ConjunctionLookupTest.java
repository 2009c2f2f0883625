package io.ovsanp.compiler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conjunction scenarios verified with {@code ofproto/trace} on bridge {@code bry}
 * (docs/ovs-notes.md §1.3 table, flows in §6.4). reg1 tells which flow of table 0 ran.
 */
class ConjunctionLookupTest {
    private static final List<String> BRY = List.of(
            "priority=100,ip,nw_src=10.0.0.1 actions=conjunction(1,1/2)",
            "priority=100,ip,nw_src=10.0.0.2 actions=conjunction(1,1/2),conjunction(2,1/2)",
            "priority=100,tcp,tp_dst=80 actions=conjunction(1,2/2)",
            "priority=100,tcp,tp_dst=443 actions=conjunction(2,2/2)",
            "priority=100,conj_id=1 actions=set_field:1->reg1,goto_table:1", // no conj_id=2 flow on purpose
            "priority=50,ip,nw_src=10.0.0.2 actions=set_field:50->reg1,goto_table:1",
            "priority=0 actions=set_field:0->reg1,goto_table:1",
            "table=1,priority=0 actions=output:1");

    static Simulator sim(List<String> lines) {
        return new Simulator(FlowSet.of(OfctlParser.parseAll(String.join("\n", lines))));
    }

    static List<String> without(List<String> lines, String prefix) {
        List<String> out = new ArrayList<>(lines);
        out.removeIf(l -> l.startsWith(prefix));
        return out;
    }

    private static long reg1After(Simulator s, SimPacket p) {
        SimResult r = s.run(p, TableId.of(0));
        assertThat(r.allowed()).as(r.traceText()).isTrue();
        return r.finalPacket().regs().get(1);
    }

    @Test
    void bothDimensionsRunTheConjIdFlow() {
        SimResult r = sim(BRY).run(SimPacket.tcp("10.0.0.1", "192.0.2.1", 80), TableId.of(0));
        assertThat(r.finalPacket().regs().get(1)).isEqualTo(1);
        assertThat(r.trace().get(0))
                .startsWith("table 0: conjunction(1) complete, ")
                .contains("conj_id=1");
        assertThat(r.outputs()).containsExactly(1L);
    }

    @Test
    void aPartialMatchFallsThroughToTheCatchAll() {
        assertThat(reg1After(sim(BRY), SimPacket.tcp("10.0.0.1", "192.0.2.1", 22)))
                .isZero();
    }

    @Test
    void aPartialMatchIsReplacedByItsLowerPriorityTwin() {
        assertThat(reg1After(sim(BRY), SimPacket.tcp("10.0.0.2", "192.0.2.1", 22)))
                .isEqualTo(50);
    }

    @Test
    void aCompleteConjunctionWithoutConjIdFlowReturnsTheCatchAllNotTheTwin() {
        assertThat(reg1After(sim(BRY), SimPacket.tcp("10.0.0.2", "192.0.2.1", 443)))
                .isZero();
    }

    @Test
    void withoutTheCatchAllTheTwinWins() {
        assertThat(reg1After(sim(without(BRY, "priority=0 ")), SimPacket.tcp("10.0.0.2", "192.0.2.1", 443)))
                .isEqualTo(50);
    }

    @Test
    void anUnrelatedHigherHardFlowBeatsTheConjIdFlowInTheNestedLookup() {
        // §1.3: conj_id flow at 80, an unrelated hard flow at 90, clauses at 100 (tp_src there; reg2 here).
        List<String> flows = List.of(
                "priority=100,ip,nw_src=10.0.0.1 actions=conjunction(1,1/2)",
                "priority=100,tcp,tp_dst=80 actions=conjunction(1,2/2)",
                "priority=80,conj_id=1 actions=set_field:80->reg1,goto_table:1",
                "priority=90,reg2=0x7 actions=set_field:90->reg1,goto_table:1",
                "table=1,priority=0 actions=output:1");
        SimPacket p = SimPacket.tcp("10.0.0.1", "192.0.2.1", 80);
        assertThat(reg1After(sim(flows), p.withReg(2, 7))).isEqualTo(90);
        assertThat(reg1After(sim(flows), p)).isEqualTo(80);
    }

    @Test
    void aMissedConjunctionWithoutCatchAllIsATableMiss() {
        SimResult r = sim(without(BRY, "priority=0 ")).run(SimPacket.tcp("10.0.0.1", "192.0.2.1", 22), TableId.of(0));
        assertThat(r.allowed()).isFalse();
        assertThat(r.matched()).isEmpty();
        assertThat(r.trace()).containsExactly("table 0: miss, drop (OpenFlow 1.3 table-miss default)");
    }

    @Test
    void aHigherPriorityHardFlowWinsOverLowerConjunctions() {
        List<String> flows = new ArrayList<>(BRY);
        flows.add("priority=200,tcp,tp_dst=80 actions=set_field:200->reg1,goto_table:1");
        assertThat(reg1After(sim(flows), SimPacket.tcp("10.0.0.1", "192.0.2.1", 80)))
                .isEqualTo(200);
    }

    @Test
    void ipv6PacketsDoNotMeetIpv4Clauses() {
        assertThat(reg1After(sim(BRY), SimPacket.tcp("fd00::1", "fd00::2", 80))).isZero();
        assertThat(reg1After(sim(BRY), SimPacket.icmp("10.0.0.1", "192.0.2.1"))).isZero();
    }

    @Test
    void overlappingHardFlowsAtTheWinningPriorityAreAmbiguous() {
        List<String> flows = List.of(
                "priority=10,ip,nw_src=10.0.0.0/8 actions=output:1", "priority=10,tcp,tp_dst=80 actions=output:2");
        assertThatThrownBy(() -> sim(flows).run(SimPacket.tcp("10.0.0.1", "192.0.2.1", 80), TableId.of(0)))
                .isInstanceOf(AmbiguousLookupException.class)
                .hasMessageContaining("nw_src=10.0.0.0/8")
                .hasMessageContaining("tp_dst=80");
        // Not ambiguous when only one of them matches, or a higher flow decides.
        assertThat(sim(flows)
                        .run(SimPacket.tcp("11.0.0.1", "192.0.2.1", 80), TableId.of(0))
                        .outputs())
                .containsExactly(2L);
    }

    @Test
    void overlappingHardFlowsWithTheSameCookieAndActionsAreNotAmbiguous() {
        String named = "priority=10,cookie=0x5,tcp,nw_src=10.0.0.1,nw_dst=192.0.2.1,tp_dst=80 actions=output:1";
        String numeric = "priority=10,cookie=0x5,tcp,nw_src=10.0.0.1,tp_dst=0x40/0xffc0 actions=output:1";
        SimPacket p = SimPacket.tcp("10.0.0.1", "192.0.2.1", 80);
        assertThat(sim(List.of(named, numeric)).run(p, TableId.of(0)).outputs()).containsExactly(1L);
        // Another owner, or other actions, and the choice matters again.
        for (String other :
                List.of(numeric.replace("cookie=0x5", "cookie=0x6"), numeric.replace("output:1", "output:2"))) {
            assertThatThrownBy(() -> sim(List.of(named, other)).run(p, TableId.of(0)))
                    .isInstanceOf(AmbiguousLookupException.class);
        }
    }

    @Test
    void twoConjunctionsCompletingAtOnePriorityMustAgree() {
        List<String> flows = new ArrayList<>(List.of(
                "priority=100,ip,nw_src=10.0.0.1 actions=conjunction(1,1/2),conjunction(2,1/2)",
                "priority=100,tcp,tp_dst=80 actions=conjunction(1,2/2)",
                "priority=100,ip,nw_dst=192.0.2.1 actions=conjunction(2,2/2)",
                "priority=100,conj_id=1 actions=output:1",
                "priority=100,conj_id=2 actions=drop"));
        SimPacket p = SimPacket.tcp("10.0.0.1", "192.0.2.1", 80);
        assertThatThrownBy(() -> sim(flows).run(p, TableId.of(0)))
                .isInstanceOf(AmbiguousLookupException.class)
                .hasMessageContaining("conjunctions 1 and 2");
        flows.set(4, "priority=100,conj_id=2 actions=output:1");
        SimResult r = sim(flows).run(p, TableId.of(0));
        assertThat(OfctlRenderer.render(r.matched().get(0))).contains(",conj_id=1 ");
        assertThat(r.outputs()).containsExactly(1L);
    }

    @Test
    void refusesClausesOfOneConjunctionThatDisagreeOnTheirCount() {
        List<String> flows = List.of(
                "priority=100,ip,nw_src=10.0.0.1 actions=conjunction(1,1/2)",
                "priority=100,tcp,tp_dst=80 actions=conjunction(1,2/3)");
        assertThatThrownBy(() -> sim(flows)).isInstanceOf(IllegalArgumentException.class);
    }
}
