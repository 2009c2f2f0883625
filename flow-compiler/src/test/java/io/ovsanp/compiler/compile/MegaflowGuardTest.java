package io.ovsanp.compiler.compile;

import static io.ovsanp.compiler.compile.CompilerTest.anp;
import static io.ovsanp.compiler.compile.CompilerTest.pod;
import static io.ovsanp.compiler.compile.CompilerTest.rule;
import static io.ovsanp.compiler.compile.CompilerTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.pipeline.Placement;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PolicyValidator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MegaflowGuardTest {
    private static FlowSet compile(String cidr) {
        return compile(cidr, CompileOptions.DEFAULT);
    }

    private static FlowSet compile(String cidr, CompileOptions options) {
        ClusterSnapshot s = snapshot(
                List.of(pod("a", "web", "n1", "10.244.0.1")),
                List.of(anp("deny", 1, rule(0, Action.DENY, List.of(new Peer.Networks(List.of(cidr))), List.of()))));
        return Compiler.compile(s, PolicyValidator.validate(s), "n1", Allocation.EMPTY, options)
                .flows();
    }

    private static List<Flow> guards(FlowSet flows) {
        return flows.flows().stream().filter(MegaflowGuard::isGuard).toList();
    }

    @Test
    void theGuardSitsBetweenTheCtStateFlowsAndTheMissWithTheMissActions() {
        PipelineSpec p = PipelineSpec.standalone();
        FlowSet flows = compile("203.0.113.0/24");
        List<Flow> g = guards(flows);
        assertThat(g).hasSize(1);
        Flow guard = g.get(0);
        assertThat(guard.table()).isEqualTo(p.id(PipelineSpec.CONNTRACK_STATE));
        List<Flow> state = flows.table(guard.table());
        Flow miss = state.stream()
                .filter(f -> f.priority().value() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(guard.actions())
                .isEqualTo(miss.actions())
                .containsExactly(new FlowAction.GotoTable(p.id(PipelineSpec.ADMIN_EGRESS)));
        // Below every ct_state flow (established, related, invalid keep their own verdicts).
        assertThat(state.stream().filter(f -> f.match().has(Field.CT_STATE)))
                .allSatisfy(f -> assertThat(f.priority().value())
                        .isGreaterThan(guard.priority().value()));
        assertThat(guard.match().fields()).containsOnlyKeys(Field.CT_MARK);
        assertThat(guard.match().get(Field.CT_MARK).orElseThrow().mask())
                .isEqualTo(BigInteger.valueOf(MegaflowGuard.bit(0)));
    }

    @Test
    void inTheCniPlacementTheGuardIsInItsConntrackStateTable() {
        PipelineSpec p = PipelineSpec.of(new Placement(
                20,
                10,
                Placement.parseTables("0-19,40-60"),
                Placement.parseExit("goto:40"),
                Placement.Conntrack.CNI,
                7,
                Optional.of(6)));
        List<Flow> g = guards(compile("203.0.113.0/24", new CompileOptions(p, 1)));
        assertThat(g).singleElement().satisfies(guard -> {
            assertThat(guard.table()).isEqualTo(p.id(PipelineSpec.CONNTRACK_STATE));
            assertThat(guard.table().value()).isBetween(20, 29);
            assertThat(guard.actions()).containsExactly(new FlowAction.GotoTable(p.id(PipelineSpec.ADMIN_EGRESS)));
        });
    }

    @Test
    void variantsAreDistinctSingleBitsOfTheTopByte() {
        Set<Long> bits = new HashSet<>();
        for (int v = 0; v < MegaflowGuard.VARIANTS; v++) {
            long b = MegaflowGuard.bit(v);
            assertThat(Long.bitCount(b)).isEqualTo(1);
            assertThat(b & 0xff00_0000L).isEqualTo(b);
            bits.add(b);
        }
        assertThat(bits).hasSize(MegaflowGuard.VARIANTS);
    }

    @Test
    void aConvergedSwitchKeepsItsVariantAndGetsNoFlowMod() {
        FlowSet first = MegaflowGuard.plan(FlowSet.of(List.of()), compile("203.0.113.0/24"))
                .target();
        assertThat(MegaflowGuard.variant(first.flows())).isEqualTo(OptionalInt.of(0));
        FlowSet moved = MegaflowGuard.plan(first, compile("198.51.100.0/24")).target();
        assertThat(MegaflowGuard.variant(moved.flows())).isEqualTo(OptionalInt.of(1));

        MegaflowGuard.Plan again = MegaflowGuard.plan(moved, compile("198.51.100.0/24"));
        assertThat(again.diff().isEmpty()).isTrue();
        assertThat(FlowDiff.between(moved, again.target()).isEmpty()).isTrue();
    }

    @Test
    void everyChangeMovesTheGuardInTheSameDiffAndTheVariantsCycle() {
        FlowSet installed = FlowSet.of(List.of());
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 2 * MegaflowGuard.VARIANTS; i++) {
            FlowSet desired = compile("10." + i + ".0.0/16");
            MegaflowGuard.Plan plan = MegaflowGuard.plan(installed, desired);
            FlowSet target = plan.target();
            FlowDiff d = plan.diff();
            assertThat(d).isEqualTo(FlowDiff.between(installed, target));
            if (i > 0) {
                // The rule's flow changed and the guard moved: the old guard is deleted, the new one added.
                assertThat(d.deletes().stream().filter(MegaflowGuard::isGuard)).hasSize(1);
                assertThat(d.adds().stream().filter(MegaflowGuard::isGuard)).hasSize(1);
            }
            seen.add(MegaflowGuard.variant(target.flows()).orElseThrow());
            installed = target;
        }
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo((seen.get(i - 1) + 1) % MegaflowGuard.VARIANTS);
        }
    }

    @Test
    void aForeignOrDamagedGuardIsReplacedByVariantZero() {
        FlowSet desired = compile("203.0.113.0/24");
        Flow g = guards(desired).get(0);
        Flow damaged = new Flow(g.table(), g.priority(), g.cookie(), Match.ANY.with(Field.CT_MARK, 1), g.actions());
        List<Flow> installed = new ArrayList<>(desired.flows());
        installed.remove(g);
        installed.add(damaged);
        assertThat(MegaflowGuard.variant(installed)).isEmpty();
        FlowSet target = MegaflowGuard.plan(FlowSet.of(installed), desired).target();
        assertThat(MegaflowGuard.variant(target.flows())).isEqualTo(OptionalInt.of(0));
        assertThat(target.flows()).doesNotContain(damaged);
    }

    @Test
    void flowsWithoutAGuardArePlannedUnchanged() {
        FlowSet noGuard = FlowSet.of(compile("203.0.113.0/24").flows().stream()
                .filter(f -> !MegaflowGuard.isGuard(f))
                .toList());
        assertThat(MegaflowGuard.plan(FlowSet.of(List.of()), noGuard).target()).isEqualTo(noGuard);
    }
}
