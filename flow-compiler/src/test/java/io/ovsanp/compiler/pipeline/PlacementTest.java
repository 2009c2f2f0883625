package io.ovsanp.compiler.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.pipeline.Placement.Conntrack;
import io.ovsanp.compiler.pipeline.Placement.Exit;
import io.ovsanp.compiler.pipeline.Placement.PlacementException;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static Placement placement(int first, int max, String reserved, String exit, Conntrack ct) {
        return new Placement(
                first, max, Placement.parseTables(reserved), Placement.parseExit(exit), ct, 7, Optional.empty());
    }

    @Test
    void theStandalonePlacementIsTheOriginalPipeline() {
        PipelineSpec p = PipelineSpec.of(Placement.STANDALONE);
        assertThat(p.tables()).extracting(t -> t.id().value()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(p.exitActions()).containsExactly(FlowAction.Output.NORMAL);
        assertThat(p.zone()).isEqualTo(PipelineSpec.DEFAULT_ZONE);
    }

    @Test
    void aStageAfterTheCnisTablesIsNumberedFromItsFirstTable() {
        PipelineSpec p = PipelineSpec.of(placement(40, 11, "0-39,60-70", "goto:60", Conntrack.OWN));
        assertThat(p.id(PipelineSpec.CLASSIFIER)).isEqualTo(TableId.of(40));
        assertThat(p.id(PipelineSpec.OUTPUT)).isEqualTo(TableId.of(50));
        assertThat(p.exitActions()).containsExactly(new FlowAction.GotoTable(TableId.of(60)));
    }

    @Test
    void withTheCnisConntrackTheStageHasNoZoneTableAndNeedsTenTables() {
        PipelineSpec p = PipelineSpec.of(placement(20, 10, "", "resubmit:5", Conntrack.CNI));
        assertThat(p.has(PipelineSpec.CONNTRACK_ZONE)).isFalse();
        assertThat(p.tables()).hasSize(10);
        assertThat(p.id(PipelineSpec.CONNTRACK_STATE)).isEqualTo(TableId.of(21));
        assertThat(p.exitActions()).containsExactly(new FlowAction.Resubmit(TableId.of(5)));
    }

    @Test
    void overlappingAReservedTableIsRefusedNamingTheTable() {
        assertThatThrownBy(() -> placement(10, 11, "0-9,15", "normal", Conntrack.OWN))
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("overlap reserved table 15");
    }

    @Test
    void aBackwardOrInwardGotoExitIsRefused() {
        assertThatThrownBy(() -> placement(10, 11, "", "goto:5", Conntrack.OWN))
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("backward")
                .hasMessageContaining("20");
        assertThatThrownBy(() -> placement(10, 11, "", "goto:20", Conntrack.OWN))
                .hasMessageContaining("goto:20");
        assertThat(placement(10, 11, "", "goto:21", Conntrack.OWN).lastTable()).isEqualTo(20);
    }

    @Test
    void aResubmitExitBackIntoTheStageIsALoop() {
        assertThatThrownBy(() -> placement(10, 11, "", "resubmit:12", Conntrack.OWN))
                .hasMessageContaining("loop");
        assertThat(placement(10, 11, "", "resubmit:3", Conntrack.OWN).exit()).isEqualTo(new Exit.Resubmit(3));
    }

    @Test
    void tooFewTablesOrTablesBeyond253AreRefused() {
        assertThatThrownBy(() -> placement(10, 10, "", "normal", Conntrack.OWN))
                .hasMessageContaining("needs 11 tables")
                .hasMessageContaining("only 10");
        assertThat(placement(10, 10, "", "normal", Conntrack.CNI).tablesNeeded())
                .isEqualTo(10);
        assertThatThrownBy(() -> placement(245, 11, "", "normal", Conntrack.OWN))
                .hasMessageContaining("beyond table 253");
    }

    @Test
    void zonesRegistersAndTextsAreChecked() {
        SortedSet<Integer> none = new TreeSet<>();
        assertThatThrownBy(() -> new Placement(0, 11, none, Exit.NORMAL, Conntrack.OWN, 70000, Optional.empty()))
                .hasMessageContaining("zone 70000");
        assertThatThrownBy(() -> new Placement(0, 11, none, Exit.NORMAL, Conntrack.OWN, 1, Optional.of(9)))
                .hasMessageContaining("reg9");
        assertThatThrownBy(() -> Placement.parseExit("jump:3")).hasMessageContaining("goto:N");
        assertThatThrownBy(() -> Placement.parseExit("goto:x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Placement.parseTables("9-3")).hasMessageContaining("9-3");
        assertThatThrownBy(() -> Placement.parseIdentity("reg12")).hasMessageContaining("reg0..reg7");
        assertThatThrownBy(() -> Placement.parseIdentity("mac")).hasMessageContaining("ip or reg");
        assertThat(Placement.parseIdentity("reg6")).contains(6);
        assertThat(Placement.parseIdentity("ip")).isEmpty();
        assertThat(Placement.parseTables(" 1-3, 7 ")).containsExactly(1, 2, 3, 7);
        assertThat(Placement.parseTables("")).isEmpty();
        assertThat(List.of(Exit.NORMAL, new Exit.Goto(3), new Exit.Resubmit(4)))
                .extracting(Object::toString)
                .containsExactly("normal", "goto:3", "resubmit:4");
    }
}
