package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.eval.ConnectionVerdict;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.ofctl.TraceFlows;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.pipeline.TableSpec;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import io.ovsanp.controller.switches.ReconcileException;
import io.ovsanp.controller.switches.Reconciler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp trace}: what a live switch does with a connection's first packet, asked of
 * ovs-vswitchd itself ({@code ofproto/trace} over its unixctl socket, {@link Unixctl}): each flow the
 * packet matched, by table and priority, named by the rule its cookie belongs to ({@link CookieRules},
 * numbered as the switch is, as {@code diff} numbers it), then the switch's verdict, compared with
 * what {@code explain} says the policies decide for that node on the same snapshot. A disagreement is
 * a switch out of sync with the snapshot (or a bug): exit 1.
 *
 * <p>The node's pipeline enforces the egress side when the source pod runs on it and the ingress side
 * when the destination pod does (docs/architecture.md, "The pipeline": both directions in one pass), so the verdict
 * expected of it is the conjunction of the sides it enforces, not always explain's combined verdict.
 */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = "Trace a connection's first packet through a live switch's installed flows"
                + " (ofproto/trace), name the rule of each step, and check the verdict against explain;"
                + " exit 1 when they disagree.")
final class TraceCommand extends CliCommand {
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

    @Mixin
    ConnectionOptions connection;

    @Option(
            names = "--node",
            paramLabel = "NAME",
            description = "Node whose switch this is (default: the source pod's node).")
    String node;

    @Option(
            names = "--bridge",
            paramLabel = "NAME",
            description = "Bridge to trace on (default: from --switch unix:DIR/BRIDGE.mgmt).")
    String bridge;

    @Option(
            names = "--appctl-socket",
            paramLabel = "PATH",
            description = "ovs-vswitchd's unixctl socket (default: DIR/ovs-vswitchd.PID.ctl next to the"
                    + " --switch unix: socket).")
    Path appctlSocket;

    @Option(
            names = "--in-port",
            paramLabel = "PORT",
            description = "OpenFlow port the packet enters on (number or name; default any). With"
                    + " --source-identity regN and no --in-port, the register is preset to the pod's identity.")
    String inPort;

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        boolean json = output.json();
        connection.check();
        sw.tls();
        String bridgeName = bridgeName();
        Path socket = appctlSocket != null ? appctlSocket : Unixctl.vswitchdSocket(mgmtSocket("--appctl-socket"));
        CompileOptions options = placement.compileOptions(serviceVips);
        PipelineSpec pipeline = options.pipeline();
        ClusterSnapshot snapshot = cluster.load();
        ConnectionOptions.Connection conn = connection.resolve(snapshot);
        String nodeName = node != null ? node : conn.source().nodeName();
        NodeCompilation compilation = NodeCompilation.of(snapshot, nodeName, options);
        report(compilation.diagnostics(), false);
        Packet packet = conn.packet();
        Optional<IpAddress> identity = conn.source().ips().stream()
                .filter(ip -> ip.family() == IpFamily.V4)
                .findFirst();
        String flow = TraceFlows.of(
                packet, Optional.ofNullable(inPort), pipeline.placement().identityRegister(), identity);

        CookieRules rules;
        try (OfConnection c = sw.connect()) {
            Reconciler r = new Reconciler(c, sw.timeoutDuration());
            rules = CookieRules.of(
                    compilation.policies(), compilation.against(r).allocation());
        } catch (ReconcileException e) {
            throw new BadInput(e.getMessage());
        }
        OfprotoTrace trace = OfprotoTrace.parse(
                Unixctl.call(socket, "ofproto/trace", List.of(bridgeName, flow), sw.timeoutDuration()));

        // judged as explain judges it (ConnectionProbe), with the policies this node's compile saw
        ConnectionProbe.Result judged =
                new ConnectionProbe(snapshot, compilation.policies(), serviceVips.value()).judge(conn.source(), packet);
        ConnectionVerdict v = judged.verdict();
        boolean egressHere = nodeName.equals(judged.egressNode());
        boolean ingressHere = nodeName.equals(judged.ingressNode());
        boolean expected = (!egressHere || v.egress().allowed())
                && (!ingressHere || v.ingress().allowed());
        String sides = egressHere && ingressHere
                ? "egress and ingress"
                : egressHere ? "egress" : ingressHere ? "ingress" : "neither side";

        TableId commit = pipeline.id(PipelineSpec.COMMIT);
        boolean passedPolicy =
                trace.steps().stream().anyMatch(s -> s.table() == commit.value() && !s.miss() && isOurs(s.cookie()));
        boolean allowed = passedPolicy || trace.leaves();
        Optional<RuleRef> decidedBy = decidingRule(trace, rules, allowed);
        boolean agrees = allowed == expected;
        String switchSays = word(allowed);
        String policySays = word(expected);
        String verdictLine = switchSays + " by the switch"
                + decidedBy.map(r -> " (rule " + r.display() + ")").orElse("");
        String agreement = agrees
                ? "agrees with explain: the policies " + (expected ? "allow" : "deny") + " it on node " + nodeName
                        + " (" + sides + ")"
                : "DISAGREES with explain: switch says " + switchSays + ", policy says " + policySays
                        + " (switch out of sync? run ovs-anp diff)";

        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("verdict", switchSays);
            doc.put("agrees", agrees);
            doc.put("summary", agreement);
            doc.put("connection", connection.json(conn));
            doc.put("node", nodeName);
            doc.put("bridge", bridgeName);
            doc.put("flow", flow);
            List<Object> steps = new ArrayList<>();
            for (OfprotoTrace.Step s : trace.steps()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("table", s.table());
                m.put("tableName", tableName(pipeline, s.table()).orElse(null));
                m.put("match", s.match());
                m.put("priority", s.miss() ? null : s.priority().getAsLong());
                m.put("cookie", "0x" + Long.toHexString(s.cookie()));
                Optional<RuleRef> rule = rules.ref(s.cookie());
                m.put("rule", rule.map(JsonOutput::rule).orElse(null));
                m.put("owner", rule.isPresent() ? "rule" : CookieRules.describe(s.cookie()));
                m.put("actions", s.actions());
                steps.add(m);
            }
            doc.put("steps", steps);
            doc.put("datapathActions", trace.datapathActions());
            doc.put("decidedBy", decidedBy.map(JsonOutput::rule).orElse(null));
            Map<String, Object> explain = new LinkedHashMap<>();
            explain.put("verdict", policySays);
            explain.put("sides", sides);
            explain.put("summary", ExplainCommand.headline(v));
            explain.put("egress", JsonOutput.verdict(v.egress(), judged.egressNode()));
            explain.put("ingress", JsonOutput.verdict(v.ingress(), judged.ingressNode()));
            doc.put("explain", explain);
            out().print(JsonOutput.write(doc));
        } else {
            out().println("trace " + conn.protocol() + " " + packet.src() + " -> " + packet.dst()
                    + (conn.icmp() ? "" : ":" + packet.dstPort()) + " on node " + nodeName + ", bridge "
                    + bridgeName);
            out().println("  flow: " + flow);
            for (OfprotoTrace.Step s : trace.steps()) {
                out().println("  " + describe(s, pipeline, rules));
            }
            out().println("  datapath actions: " + trace.datapathActions());
            out().println(verdictLine);
            out().println("explain: " + ExplainCommand.headline(v) + "; on node " + nodeName + " (" + sides + "): "
                    + policySays);
            out().println(agreement);
        }
        return agrees ? Main.EXIT_OK : Main.EXIT_FOUND;
    }

    /** {@code table 3 (AdminEgress) priority 21733 cookie 0x… → rule ANP/x egress[1] "deny": drop}. */
    static String describe(OfprotoTrace.Step s, PipelineSpec pipeline, CookieRules rules) {
        String table = "table " + s.table()
                + tableName(pipeline, s.table()).map(n -> " (" + n + ")").orElse("");
        if (s.miss()) {
            return table + ": " + s.match() + (s.actions().isEmpty() ? "" : " " + String.join(", ", s.actions()));
        }
        String owner = rules.ref(s.cookie()).map(r -> "rule " + r.display()).orElse(CookieRules.describe(s.cookie()));
        return table + " priority " + s.priority().getAsLong() + " cookie 0x" + Long.toHexString(s.cookie()) + " → "
                + owner + ": " + (s.actions().isEmpty() ? "(no actions: drop)" : String.join(", ", s.actions()));
    }

    /**
     * The rule that decided: for a drop the rule of the last step (none when an isolation drop or a
     * table miss dropped it), else the last Allow rule passed (a Pass only hands on to the next tier).
     */
    static Optional<RuleRef> decidingRule(OfprotoTrace trace, CookieRules rules, boolean allowed) {
        List<OfprotoTrace.Step> steps = trace.steps();
        if (!allowed) {
            return steps.isEmpty()
                    ? Optional.empty()
                    : rules.ref(steps.get(steps.size() - 1).cookie());
        }
        Optional<RuleRef> last = Optional.empty();
        for (OfprotoTrace.Step s : steps) {
            Optional<EffectiveRule> r = rules.rule(s.cookie());
            if (r.isPresent() && r.get().action() == Action.ALLOW) last = r.map(EffectiveRule::ref);
        }
        return last;
    }

    private static Optional<String> tableName(PipelineSpec pipeline, int table) {
        if (table < 0 || table > 254) return Optional.empty();
        return pipeline.byId(TableId.of(table)).map(TableSpec::name);
    }

    private static boolean isOurs(long cookie) {
        return new Cookie(cookie).isOurs();
    }

    private static String word(boolean allowed) {
        return allowed ? "ALLOW" : "DENY";
    }

    private String bridgeName() throws BadInput {
        if (bridge != null) return bridge;
        String file = mgmtSocket("--bridge").getFileName().toString();
        if (!file.endsWith(".mgmt")) {
            throw new BadInput("--switch " + sw.target + " is not a BRIDGE.mgmt socket: name the bridge with --bridge");
        }
        return file.substring(0, file.length() - ".mgmt".length());
    }

    /** The path of a {@code unix:} target; other targets need {@code flag} given. */
    private Path mgmtSocket(String flag) throws BadInput {
        if (sw.parsedTarget() instanceof SwitchTarget.Unix unix) {
            return unix.path();
        }
        throw new BadInput("--switch " + sw.target + " is not a unix: socket: give " + flag);
    }
}
