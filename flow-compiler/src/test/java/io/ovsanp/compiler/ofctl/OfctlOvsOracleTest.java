package io.ovsanp.compiler.ofctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.testing.RandomFlows;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OVS itself as the oracle for the text form: random flows go into a private switch with {@code
 * ovs-ofctl --bundle add-flows} and must come back from {@code dump-flows} as the same flows, and
 * (without statistics) as the same text. Skipped without OVS unless {@code CI=true}. Seed: {@code
 * -Dovsanp.oracle.seed=N}.
 */
class OfctlOvsOracleTest {
    private static final long SEED = Long.getLong("ovsanp.oracle.seed", 20261125L);
    private static final int FLOWS = 400;

    private static PrivateOvs ovs;
    private static Bridge bridge;

    @BeforeAll
    static void start() {
        if (Needs.ovsProblems().isEmpty()) {
            ovs = PrivateOvs.start();
            bridge = ovs.addBridge("bro");
        }
    }

    /** Per test, so a skip shows up as a skipped test with its reason (or a failure under CI). */
    @BeforeEach
    void requireOvs() {
        Needs.ovs();
    }

    @AfterAll
    static void stop() {
        if (ovs != null) {
            ovs.close();
        }
    }

    private static FlowSet randomFlows(long seed) {
        Random r = new Random(seed);
        Map<Flow.FlowKey, Flow> byKey = new LinkedHashMap<>();
        while (byKey.size() < FLOWS) {
            Flow f = RandomFlows.flow(r);
            byKey.putIfAbsent(f.key(), f);
        }
        return FlowSet.of(byKey.values());
    }

    @Test
    void dumpFlowsPrintsEveryRenderedFlowInTheSameSpellingAndItParsesBackEqual() {
        FlowSet flows = randomFlows(SEED);
        // renderAll's "# table N: ..." comment lines go in too: add-flows must skip them.
        bridge.replaceFlows(List.of(
                OfctlRenderer.renderAll(flows, PipelineSpec.standalone()).split("\n")));
        String dump = bridge.dumpFlowsText(false);

        List<String> expected = new ArrayList<>();
        for (Flow f : flows) {
            expected.add(noStatsLine(f));
        }
        // --no-stats prints no "OFPST_FLOW reply" header, but be robust to one.
        List<String> actual = dump.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("OFPST_FLOW reply"))
                .toList();
        assertThat(actual)
                .as("dump-flows --no-stats text, seed %d", SEED)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(OfctlParser.parseAll(dump)).as("seed %d", SEED).containsExactlyInAnyOrderElementsOf(flows.flows());
    }

    @Test
    void dumpWithStatisticsParsesBackEqual() {
        FlowSet flows = randomFlows(SEED + 1);
        List<String> lines = new ArrayList<>();
        flows.forEach(f -> lines.add(OfctlRenderer.render(f)));
        bridge.replaceFlows(lines);
        String dump = bridge.dumpFlowsText(true);
        assertThat(dump).contains("n_packets=");
        assertThat(OfctlParser.parseAll(dump))
                .as("seed %d", SEED + 1)
                .containsExactlyInAnyOrderElementsOf(flows.flows());
    }

    /**
     * {@code controller(pause)} (NXAST_CONTROLLER2 with the pause property, not in {@link RandomFlows})
     * comes back from the switch in the spelling we render, with and without max_len, and parses back
     * to the same flows (docs/ovs-notes.md §2.7).
     */
    @Test
    void pauseComesBackFromDumpFlowsAsRendered() {
        Match udp = Match.ethType(IpFamily.V4).with(FieldMatch.exact(Field.IP_PROTO, 17));
        List<Flow> flows = List.of(
                new Flow(
                        TableId.of(1),
                        Priority.of(1),
                        new Cookie(0x1a500000007L),
                        udp,
                        List.of(
                                new FlowAction.SetField(Field.REG0, 5),
                                FlowAction.Pause.WHOLE,
                                new FlowAction.GotoTable(TableId.of(2)))),
                new Flow(TableId.of(1), Priority.of(2), new Cookie(0), udp, List.of(new FlowAction.Pause(128))),
                new Flow(TableId.of(1), Priority.of(3), new Cookie(0), udp, List.of(new FlowAction.Pause(0))));
        bridge.replaceFlows(flows.stream().map(OfctlRenderer::render).toList());
        assertThat(bridge.dumpFlows())
                .containsExactlyInAnyOrderElementsOf(
                        flows.stream().map(OfctlOvsOracleTest::noStatsLine).toList());
        assertThat(bridge.dumpFlows())
                .anyMatch(l -> l.endsWith("actions=set_field:0x5->reg0,controller(pause),goto_table:2"))
                .anyMatch(l -> l.endsWith("actions=controller(max_len=128,pause)"));
        assertThat(OfctlParser.parseAll(bridge.dumpFlowsText(true))).containsExactlyInAnyOrderElementsOf(flows);
    }

    /**
     * What OVS 3.1 {@code --no-stats dump-flows} prints: cookie and table only when non-zero,
     * priority only when not 32768, then our match and actions verbatim.
     */
    static String noStatsLine(Flow f) {
        StringBuilder b = new StringBuilder();
        if (f.cookie().value() != 0) {
            b.append("cookie=").append(f.cookie().hex()).append(", ");
        }
        if (f.table().value() != 0) {
            b.append("table=").append(f.table().value()).append(", ");
        }
        String match = OfctlRenderer.renderMatch(f.match());
        if (f.priority().value() != OfctlParser.DEFAULT_PRIORITY) {
            b.append("priority=").append(f.priority().value()).append(match.isEmpty() ? "" : ",");
        }
        b.append(match);
        // With neither priority nor match the line reads "table=5, actions=...".
        String head = b.toString();
        return head.isEmpty() || head.endsWith(" ")
                ? head + "actions=" + OfctlRenderer.renderActions(f.actions())
                : head + " actions=" + OfctlRenderer.renderActions(f.actions());
    }
}
