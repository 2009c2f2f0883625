package io.ovsanp.compiler.ofctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.testing.RandomFlows;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class OfctlRoundTripPropertyTest {

    @Property(tries = 3000)
    void parsingARenderedFlowGivesTheSameFlow(@ForAll("flows") Flow f) {
        String line = OfctlRenderer.render(f);
        assertThat(OfctlParser.parseFlow(line)).as(line).isEqualTo(f);
    }

    /** dump-flows puts cookie and table first, with blanks after the commas. */
    @Property(tries = 1000)
    void parsingTheDumpSpellingGivesTheSameFlow(@ForAll("flows") Flow f) {
        String match = OfctlRenderer.renderMatch(f.match());
        String line = " cookie=" + f.cookie().hex() + ", duration=1.5s, table=" + f.table()
                + ", n_packets=3, n_bytes=180, priority=" + f.priority() + (match.isEmpty() ? "" : "," + match)
                + " actions=" + OfctlRenderer.renderActions(f.actions());
        assertThat(OfctlParser.parseFlow(line)).as(line).isEqualTo(f);
    }

    @Provide
    Arbitrary<Flow> flows() {
        return Arbitraries.randomValue(RandomFlows::flow);
    }
}
