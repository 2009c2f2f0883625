package io.ovsanp.compiler.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.ofctl.OfctlParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowDiffTest {
    private static Flow f(String text) {
        return OfctlParser.parseFlow(text);
    }

    @Test
    void identicalSetsGiveAnEmptyDiff() {
        Flow a = f("table=3,priority=100,cookie=0x1,ip,nw_src=10.0.0.1 actions=drop");
        assertThat(FlowDiff.between(List.of(a), FlowSet.of(List.of(a))).isEmpty())
                .isTrue();
    }

    @Test
    void changedActionsAreModifiesChangedCookiesAreAddsAndMissingKeysAreDeletes() {
        Flow keep = f("table=3,priority=100,cookie=0x1,ip,nw_src=10.0.0.1 actions=drop");
        Flow oldActions = f("table=3,priority=90,cookie=0x1,ip,nw_src=10.0.0.2 actions=drop");
        Flow newActions = f("table=3,priority=90,cookie=0x1,ip,nw_src=10.0.0.2 actions=goto_table:6");
        Flow oldCookie = f("table=3,priority=80,cookie=0x1,ip,nw_src=10.0.0.3 actions=drop");
        Flow newCookie = f("table=3,priority=80,cookie=0x2,ip,nw_src=10.0.0.3 actions=drop");
        Flow gone = f("table=3,priority=70,cookie=0x1,ip,nw_src=10.0.0.4 actions=drop");
        Flow fresh = f("table=3,priority=60,cookie=0x1,ip,nw_src=10.0.0.5 actions=drop");
        FlowDiff d = FlowDiff.between(
                List.of(keep, oldActions, oldCookie, gone), FlowSet.of(List.of(keep, newActions, newCookie, fresh)));
        assertThat(d.adds()).containsExactly(newCookie, fresh);
        assertThat(d.modifies()).containsExactly(newActions);
        assertThat(d.deletes()).containsExactly(gone);
        assertThat(d.summary()).isEqualTo("+2 ~1 -1");
    }
}
