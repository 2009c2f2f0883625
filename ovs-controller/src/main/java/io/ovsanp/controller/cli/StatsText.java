package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.RuleStats;
import java.util.Map;

/** {@code --stats} as {@code #} comment lines, so the output stays loadable by ovs-ofctl. */
final class StatsText {
    private StatsText() {}

    static String render(CompileResult r) {
        StringBuilder b = new StringBuilder();
        b.append("# stats: node ")
                .append(r.node())
                .append(": ")
                .append(r.flows().size())
                .append(" flows\n");
        for (Map.Entry<String, Integer> e : r.stats().flowsPerTable().entrySet()) {
            b.append("#   table ")
                    .append(e.getKey())
                    .append(": ")
                    .append(e.getValue())
                    .append(" flows\n");
        }
        for (RuleStats s : r.stats().rules()) {
            b.append("#   rule ")
                    .append(s.rule().display())
                    .append(" (")
                    .append(s.table())
                    .append(", priority ")
                    .append(s.priority())
                    .append("): ")
                    .append(s.flows())
                    .append(" flows for ")
                    .append(s.sources())
                    .append(" sources, ")
                    .append(s.destinations())
                    .append(" destinations, ")
                    .append(s.ports())
                    .append(" ports; a cross product would need ")
                    .append(s.crossProduct())
                    .append('\n');
        }
        b.append("#   conjunctions avoided ").append(r.stats().flowsAvoided()).append(" flows\n");
        return b.toString();
    }
}
