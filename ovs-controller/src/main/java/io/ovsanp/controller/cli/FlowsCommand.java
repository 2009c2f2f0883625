package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp flows}: ovs-anp's installed flows with what each cookie says. From the switch alone
 * the cookie gives the tier (its category), the rule id, and, through the table, the direction; the
 * rule id is a number the node's allocation gave, so naming the policy and rule needs the cluster
 * ({@code --cluster --node}: the compile numbered as the switch's flows are). {@code --rule
 * POLICY[/INDEX]} lists exactly that rule's flows; {@code --cookie C} the flows of one cookie and the
 * rule it realises.
 */
@Command(
        name = "flows",
        mixinStandardHelpOptions = true,
        description = "List ovs-anp's installed flows with the rule each realises, or the flows of one rule.")
final class FlowsCommand extends CliCommand {
    @Mixin
    SwitchOptions sw;

    @Mixin
    PlacementOptions placement;

    @Mixin
    ServiceVipOptions serviceVips;

    @Mixin
    OutputOptions output;

    @Option(
            names = "--cluster",
            arity = "1..*",
            paramLabel = "PATH",
            description = "YAML files or directories of the cluster: names each rule cookie's policy and rule"
                    + " (needs --node).")
    List<Path> clusterPaths;

    @Option(names = "--node", paramLabel = "NAME", description = "Node whose switch this is (with --cluster).")
    String node;

    @Option(
            names = "--rule",
            paramLabel = "POLICY[/INDEX]",
            description = "Only the flows of this policy's rules (name, namespace/name or Kind/name), or of its"
                    + " rule INDEX (in spec.egress or spec.ingress); needs --cluster.")
    String rule;

    @Option(
            names = "--cookie",
            paramLabel = "COOKIE",
            description = "Only the flows of this cookie (0x... or decimal), and the rule it realises.")
    String cookie;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        boolean json = output.json();
        sw.tls();
        if ((clusterPaths == null) != (node == null)) {
            throw new BadInput("--cluster and --node go together");
        }
        if (rule != null && clusterPaths == null) {
            throw new BadInput("--rule needs --cluster and --node: the switch's cookies carry rule ids, not names");
        }
        Optional<Cookie> only = cookie == null ? Optional.empty() : Optional.of(parseCookie(cookie));
        PipelineSpec pipeline = placement.pipeline();
        NodeCompilation compilation = null;
        if (clusterPaths != null) {
            ClusterOptions c = new ClusterOptions();
            c.paths = clusterPaths;
            compilation = NodeCompilation.load(c, node, placement.compileOptions(serviceVips));
        }
        try (OfConnection c = sw.connect()) {
            Optional<RuleCookies> cookies = compilation == null
                    ? Optional.empty()
                    : Optional.of(SwitchDump.rules(compilation, c, sw.timeoutDuration()));
            List<RuleCookies.Rule> selected = List.of();
            if (rule != null) {
                selected = select(cookies.orElseThrow(), rule);
            }
            List<DumpedFlow> dumped = SwitchDump.ours(c, sw.timeoutDuration());
            List<Object> flows = new ArrayList<>();
            int shown = 0;
            for (DumpedFlow d : dumped) {
                if (only.isPresent() && !only.get().equals(d.cookie())) continue;
                Optional<RuleCookies.Rule> realises = cookies.flatMap(rc -> rc.rule(d.cookie()));
                if (rule != null && (realises.isEmpty() || !selected.contains(realises.get()))) continue;
                shown++;
                String text = d.flow().map(OfctlRenderer::render).orElse("(unreadable: " + d.opaqueReason() + ")");
                String table = pipeline.byId(new TableId(d.tableId()))
                        .map(t -> t.name())
                        .orElse("");
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("table", d.tableId());
                    m.put("tableName", table);
                    m.put("priority", d.priority().value());
                    m.put("cookie", d.cookie().hex());
                    m.put("category", category(d.cookie()));
                    m.put(
                            "ruleId",
                            RuleCookies.isRuleCookie(d.cookie()) ? d.cookie().ruleId() : null);
                    m.put("decides", d.flow().map(RuleCookies::decides).orElse(null));
                    m.put("packets", d.packetCount());
                    m.put("bytes", d.byteCount());
                    m.put("rule", realises.map(StatsCommand::ruleJson).orElse(null));
                    m.put("ofctl", text);
                    flows.add(m);
                } else {
                    out().println(text + "  # " + describe(d.cookie(), table, realises) + " n_packets="
                            + d.packetCount());
                }
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("datapathId", c.datapathId().toString());
                doc.put("node", node);
                doc.put("rules", selected.stream().map(StatsCommand::ruleJson).toList());
                doc.put("flows", flows);
                out().print(JsonOutput.write(doc));
            }
            err().println("dpid=" + c.datapathId() + " " + shown + " flow(s)");
            return Main.EXIT_OK;
        }
    }

    private static List<RuleCookies.Rule> select(RuleCookies cookies, String spec) throws BadInput {
        String policy = spec;
        OptionalInt index = OptionalInt.empty();
        int slash = spec.lastIndexOf('/');
        if (slash > 0 && spec.substring(slash + 1).matches("\\d{1,4}")) {
            policy = spec.substring(0, slash);
            index = OptionalInt.of(Integer.parseInt(spec.substring(slash + 1)));
        }
        List<RuleCookies.Rule> rules = cookies.select(policy, index);
        if (rules.isEmpty()) {
            throw new BadInput("--rule " + spec + ": no such rule is compiled on this node; its rules: "
                    + String.join(
                            ", ",
                            cookies.rules().stream().map(r -> r.ref().display()).toList()));
        }
        return rules;
    }

    static Cookie parseCookie(String text) throws BadInput {
        try {
            String t = text.strip().toLowerCase(java.util.Locale.ROOT);
            return new Cookie(
                    t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t));
        } catch (NumberFormatException e) {
            throw new BadInput("--cookie must be a 64-bit number, 0x... or decimal, not " + text);
        }
    }

    /** What the cookie's category byte says (docs/architecture.md, "Ownership, restart and audit"). */
    static String category(Cookie c) {
        if (!c.isOurs()) return "other";
        for (Cookie.Category k : Cookie.Category.values()) {
            if (k.code == c.categoryCode()) {
                return k.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            }
        }
        return "unknown";
    }

    private static String describe(Cookie c, String table, Optional<RuleCookies.Rule> rule) {
        if (rule.isPresent()) {
            RuleCookies.Rule r = rule.get();
            return r.ref().display() + " " + r.action().apiName(r.ref().policy());
        }
        String what = category(c) + (RuleCookies.isRuleCookie(c) ? " rule id " + c.ruleId() : "");
        return what + (table.isEmpty() ? "" : " in " + table);
    }
}
