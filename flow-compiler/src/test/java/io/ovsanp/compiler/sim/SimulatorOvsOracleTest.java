package io.ovsanp.compiler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OVS as the oracle for the simulator's lookup: random conjunction tables go into a private
 * switch, and for random packets the flow {@code ofproto/trace} reports for table 0 (by its unique
 * cookie) must be the flow {@link Simulator#lookup} chooses. Packets the simulator calls ambiguous
 * are skipped (OVS may answer either way) and counted. Skipped without OVS unless {@code CI=true}.
 * Seed: {@code -Dovsanp.oracle.seed=N}.
 */
class SimulatorOvsOracleTest {
    private static final long SEED = Long.getLong("ovsanp.oracle.seed", 20261125L);
    private static final int CASES = 60;
    private static final int PACKETS = 12;
    private static final Pattern TABLE0 = Pattern.compile("(?m)^ 0\\. (.*)$");
    private static final Pattern COOKIE = Pattern.compile("cookie (0x[0-9a-f]+)");

    private static PrivateOvs ovs;
    private static Bridge bridge;

    @BeforeAll
    static void start() {
        if (Needs.ovsProblems().isEmpty()) {
            ovs = PrivateOvs.start();
            bridge = ovs.addBridge("brs");
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

    @Test
    void simulatorChoosesTheFlowOvsChoosesForEveryUnambiguousPacket() {
        Random r = new Random(SEED);
        int compared = 0;
        int ambiguous = 0;
        int viaConjunction = 0;
        List<String> mismatches = new ArrayList<>();
        for (int c = 0; c < CASES; c++) {
            FlowSet flows = RandomConjunctionTable.table(r);
            List<String> lines = new ArrayList<>();
            flows.forEach(f -> lines.add(OfctlRenderer.render(f)));
            bridge.replaceFlows(lines);
            Simulator sim = new Simulator(flows);
            for (int i = 0; i < PACKETS; i++) {
                SimPacket p = RandomConjunctionTable.packet(r);
                Optional<Flow> expected;
                try {
                    expected = sim.lookup(TableId.of(0), p);
                } catch (AmbiguousLookupException e) {
                    ambiguous++;
                    continue;
                }
                String trace = bridge.trace(RandomConjunctionTable.traceFlow(p));
                Optional<Long> actual = chosenCookie(trace);
                compared++;
                if (expected.isPresent() && expected.get().match().has(io.ovsanp.compiler.flow.Field.CONJ_ID)) {
                    viaConjunction++;
                }
                Optional<Long> want = expected.map(f -> f.cookie().value());
                if (!want.equals(actual)) {
                    mismatches.add("case " + c + ", packet " + RandomConjunctionTable.traceFlow(p) + ": simulator "
                            + expected.map(OfctlRenderer::render).orElse("miss") + ", OVS cookie "
                            + actual.map(Long::toHexString).orElse("miss") + "\nflows:\n  " + String.join("\n  ", lines)
                            + "\ntrace:\n" + trace);
                }
            }
        }
        System.out.printf(
                "simulator oracle: seed %d, %d packets compared (%d through conj_id flows), %d ambiguous skipped%n",
                SEED, compared, viaConjunction, ambiguous);
        assertThat(mismatches).as("seed %d", SEED).isEmpty();
        assertThat(compared).as("most packets must be comparable").isGreaterThan(CASES * PACKETS / 2);
        assertThat(viaConjunction).as("conjunctions must actually complete").isGreaterThan(CASES / 2);
    }

    /** The cookie of the flow table 0 chose, empty for "No match." (every flow has a non-zero cookie). */
    static Optional<Long> chosenCookie(String trace) {
        Matcher m = TABLE0.matcher(trace);
        if (!m.find()) {
            throw new IllegalStateException("no table 0 line in trace:\n" + trace);
        }
        if (m.group(1).startsWith("No match")) {
            return Optional.empty();
        }
        Matcher cookie = COOKIE.matcher(m.group(1));
        if (!cookie.find()) {
            throw new IllegalStateException("no cookie in: " + m.group(1));
        }
        return Optional.of(Long.parseUnsignedLong(cookie.group(1).substring(2), 16));
    }
}
