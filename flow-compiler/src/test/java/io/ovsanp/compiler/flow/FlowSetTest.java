package io.ovsanp.compiler.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.ofctl.OfctlParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowSetTest {
    private static Flow f(String text) {
        return OfctlParser.parseFlow(text);
    }

    private static final Flow A1 = f("table=3,priority=100,ip,nw_src=10.0.0.1 actions=drop");
    private static final Flow A2 = f("table=3,priority=100,ip,nw_src=10.0.0.2 actions=drop");
    private static final Flow B1 = f("table=3,priority=90,ip,nw_src=10.0.0.1 actions=drop");
    private static final Flow C1 = f("table=4,priority=100,ip,nw_src=10.0.0.1 actions=drop");

    @Test
    void sortedRunsInAnyOrderGiveTheSameSetAsSortingEveryFlow() {
        FlowSet runs = FlowSet.ofSortedRuns(List.of(List.of(C1), List.of(B1), List.of(A1, A2)));
        assertThat(runs).isEqualTo(FlowSet.of(List.of(C1, A2, B1, A1)));
        assertThat(runs.flows()).containsExactly(A1, A2, B1, C1);
    }

    @Test
    void interleavedRunsAreSortedAndDuplicateKeysAcrossRunsAreRefused() {
        Flow a3 = f("table=3,priority=100,ip,nw_src=10.0.0.3 actions=drop");
        assertThat(FlowSet.ofSortedRuns(List.of(List.of(A1, a3), List.of(A2))).flows())
                .containsExactly(A1, A2, a3);
        Flow a1Again = f("table=3,priority=100,ip,nw_src=10.0.0.1 actions=goto_table:6");
        assertThatThrownBy(() -> FlowSet.ofSortedRuns(List.of(List.of(A1), List.of(a1Again))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same key");
    }
}
