package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.controller.metrics.RuleCounters;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp stats}: per rule compiled on the node, the packets and bytes of the new connections
 * it decided, as the switch's flows count them now (the plain and {@code conj_id} flows of the rule's
 * cookie: docs/decisions.md, "Rule counters"). The compile is numbered as the switch's flows are, so
 * every cookie names the rule the switch enforces with it. {@code -o json}: one document.
 */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Show, per rule, the packets and bytes of new connections it decided on the switch.")
final class StatsCommand extends CliCommand {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    SwitchOptions sw;

    @Mixin
    PlacementOptions placement;

    @Mixin
    ServiceVipOptions serviceVips;

    @Mixin
    OutputOptions output;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "Node whose switch this is.")
    String node;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        boolean json = output.json();
        sw.tls();
        NodeCompilation compilation = NodeCompilation.load(cluster, node, placement.compileOptions(serviceVips));
        try (OfConnection c = sw.connect()) {
            RuleCookies cookies = SwitchDump.rules(compilation, c, sw.timeoutDuration());
            List<DumpedFlow> dumped = SwitchDump.ours(c, sw.timeoutDuration());
            RuleCounters counters = new RuleCounters();
            counters.poll(node, dumped, cookies);
            Map<RuleCounters.RuleKey, RuleCounters.Count> totals = counters.totals();
            List<Object> rules = new ArrayList<>();
            for (RuleCookies.Rule r : cookies.rules()) {
                RuleCounters.Count n =
                        totals.getOrDefault(new RuleCounters.RuleKey(r.ref(), r.action()), RuleCounters.Count.ZERO);
                int flows = 0;
                int deciding = 0;
                for (DumpedFlow d : dumped) {
                    if (cookies.rule(d.cookie()).filter(r::equals).isPresent()) {
                        flows++;
                        if (d.flow().map(RuleCookies::decides).orElse(false)) deciding++;
                    }
                }
                if (json) {
                    Map<String, Object> m = ruleJson(r);
                    m.put("flows", flows);
                    m.put("decidingFlows", deciding);
                    m.put("packets", n.packets());
                    m.put("bytes", n.bytes());
                    rules.add(m);
                } else {
                    out().printf(
                                    "%-9s %-6s packets=%d bytes=%d flows=%d  %s%n",
                                    r.ref().direction().field(),
                                    r.action().apiName(r.ref().policy()),
                                    n.packets(),
                                    n.bytes(),
                                    flows,
                                    r.ref().display());
                }
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("node", node);
                doc.put("datapathId", c.datapathId().toString());
                doc.put("rules", rules);
                out().print(JsonOutput.write(doc));
            }
            err().println("node=" + node + " dpid=" + c.datapathId() + " "
                    + cookies.rules().size() + " rule(s)");
            return Main.EXIT_OK;
        }
    }

    /** A rule's identity, verdict and place in the pipeline (shared with {@code flows}). */
    static Map<String, Object> ruleJson(RuleCookies.Rule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tier", r.ref().tier().kind());
        m.put("policy", JsonOutput.object(r.ref().policy()));
        m.put("direction", r.ref().direction().field());
        m.put("index", r.ref().index());
        m.put("name", r.ref().name());
        m.put("action", r.action().apiName(r.ref().policy()));
        m.put("table", r.table());
        m.put("priority", r.priority());
        m.put("ruleId", r.ruleId());
        m.put("text", r.ref().display());
        return m;
    }
}
