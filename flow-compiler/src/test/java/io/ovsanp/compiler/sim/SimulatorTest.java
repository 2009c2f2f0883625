package io.ovsanp.compiler.sim;

import static io.ovsanp.compiler.sim.ConjunctionLookupTest.sim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.CtStates;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    /** A cut-down standalone pipeline: classifier, conntrack, state, policy, commit, output. */
    private static final List<String> PIPELINE = List.of(
            "table=0,priority=10,ip actions=goto_table:1",
            "table=0,priority=0 actions=NORMAL",
            "table=1,priority=10,ip actions=ct(table=2,zone=65000)",
            "table=2,priority=30,ct_state=+inv+trk actions=drop",
            "table=2,priority=21,ct_state=-new+est+trk actions=goto_table:7",
            "table=2,priority=0 actions=goto_table:3",
            "table=3,priority=100,tcp,nw_dst=192.0.2.0/24,tp_dst=22 actions=drop",
            "table=3,priority=0 actions=goto_table:6",
            "table=6,priority=10,ip actions=ct(commit,zone=65000),goto_table:7",
            "table=7,priority=0 actions=NORMAL");

    @Test
    void newConnectionsGoThroughPolicyAndCommit() {
        SimResult r = sim(PIPELINE).run(SimPacket.tcp("10.0.0.1", "192.0.2.7", 80), TableId.of(0));
        assertThat(r.allowed()).isTrue();
        assertThat(r.outputs()).containsExactly(0xffff_fffaL);
        assertThat(r.matched()).extracting(f -> f.table().value()).containsExactly(0, 1, 2, 3, 6, 7);
        assertThat(r.trace()).anyMatch(l -> l.contains("recirculate with ct_state=+new+trk, ct_zone=65000"));
        // ct(commit) sends the packet on untracked, as OVS does.
        assertThat(r.finalPacket().ctState()).isZero();
    }

    @Test
    void policyDenyDropsNewConnections() {
        SimResult r = sim(PIPELINE).run(SimPacket.tcp("10.0.0.1", "192.0.2.7", 22), TableId.of(0));
        assertThat(r.allowed()).as(r.traceText()).isFalse();
        assertThat(r.trace()).last().asString().endsWith("actions=drop");
    }

    @Test
    void establishedAndInvalidPacketsFollowTheirPostConntrackState() {
        SimPacket ssh = SimPacket.tcp("10.0.0.1", "192.0.2.7", 22);
        SimResult est = sim(PIPELINE).run(ssh.withPostCtState("+trk+est"), TableId.of(0));
        assertThat(est.allowed()).isTrue();
        assertThat(est.matched()).extracting(f -> f.table().value()).containsExactly(0, 1, 2, 7);
        assertThat(est.finalPacket().ctState()).isEqualTo(CtStates.TRK | CtStates.EST);
        assertThat(est.finalPacket().ctZone()).isEqualTo(65000);
        SimResult inv = sim(PIPELINE).run(ssh.withPostCtState("+trk+inv"), TableId.of(0));
        assertThat(inv.allowed()).isFalse();
    }

    @Test
    void nonIpFramesGoToNormalWithoutConntrack() {
        SimResult r = sim(PIPELINE).run(SimPacket.ethernet(0x0806), TableId.of(0));
        assertThat(r.allowed()).isTrue();
        assertThat(r.matched()).hasSize(1);
    }

    @Test
    void resubmitReturnsAndRunsTheRemainingActions() {
        List<String> flows = List.of(
                "table=0,priority=1 actions=resubmit(,4),set_field:0x9->reg3,output:3",
                "table=4,priority=1 actions=set_field:0x5->reg3,output:2",
                "table=0,priority=2,reg0=0x1 actions=resubmit(,5),output:4");
        SimResult r = sim(flows).run(SimPacket.udp("10.0.0.1", "10.0.0.2", 53), TableId.of(0));
        assertThat(r.outputs()).containsExactly(2L, 3L);
        assertThat(r.finalPacket().regs().get(3)).isEqualTo(9);
        // A miss inside a resubmit drops nothing but that branch.
        SimResult miss =
                sim(flows).run(SimPacket.udp("10.0.0.1", "10.0.0.2", 53).withReg(0, 1), TableId.of(0));
        assertThat(miss.outputs()).containsExactly(4L);
        assertThat(miss.trace()).anyMatch(l -> l.startsWith("table 5: miss"));
    }

    @Test
    void loopsStopAfterSixtyFourTableVisits() {
        List<String> flows =
                List.of("table=0,priority=1 actions=resubmit(,1)", "table=1,priority=1 actions=resubmit(,0)");
        assertThatThrownBy(() -> sim(flows).run(SimPacket.ethernet(0x0806), TableId.of(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than 64 table visits");
    }

    @Test
    void refusesActionsAfterCtWithTable() {
        List<String> flows = List.of("table=0,priority=1,ip actions=ct(table=1),NORMAL");
        assertThatThrownBy(() -> sim(flows).run(SimPacket.icmp("10.0.0.1", "10.0.0.2"), TableId.of(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packetsRefuseFieldsTheirProtocolLacks() {
        assertThat(SimPacket.icmp("10.0.0.1", "10.0.0.2").tpDst()).isEqualTo(-1);
        assertThat(SimPacket.icmp("fd00::1", "fd00::2").ipProto()).isEqualTo(58);
        assertThatThrownBy(() -> SimPacket.tcp("10.0.0.1", "fd00::2", 80)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyActionKindIsSimulated() {
        List<String> flows = List.of(
                // held by the controller and resumed: the packet goes on with the next action
                "table=0,priority=1,ip actions=set_field:0x1->reg0,controller(pause),resubmit(,1),goto_table:2",
                "table=1,priority=1,ip actions=ct(commit,zone=5,exec(set_field:0x1->ct_mark)),output:7",
                "table=2,priority=1,ip actions=ct(table=3,zone=5)",
                "table=3,priority=2,ip,nw_src=10.0.0.1 actions=conjunction(1,1/2)",
                "table=3,priority=2,ip,nw_dst=10.0.0.2 actions=conjunction(1,2/2)",
                // the audit copy: to the controller, and the packet goes on (the verdict never waits for it)
                "table=3,priority=2,conj_id=1,ip actions=controller(max_len=128,meter_id=9),NORMAL");
        assertThat(Stream.of(FlowAction.class.getPermittedSubclasses()).map(Class::getSimpleName))
                .containsExactlyInAnyOrder(
                        "Output", "GotoTable", "Resubmit", "Conjunction", "Ct", "SetField", "Controller", "Pause");
        SimResult r = sim(flows).run(SimPacket.icmp("10.0.0.1", "10.0.0.2"), TableId.of(0));
        assertThat(r.outputs()).as(r.traceText()).containsExactly(7L, 0xffff_fffaL);
        assertThat(r.finalPacket().regs().get(0)).isEqualTo(1);
        assertThat(r.trace().get(r.trace().size() - 2)).startsWith("table 3: conjunction(1) complete, ");
        assertThat(r.trace().get(r.trace().size() - 1)).contains("controller: a metered copy");
        assertThat(r.trace()).anyMatch(l -> l.contains("controller(pause): held by the controller, then resumed"));
    }
}
