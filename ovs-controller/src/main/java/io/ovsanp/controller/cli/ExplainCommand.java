package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.dns.ResolverState;
import io.ovsanp.compiler.eval.ConnectionVerdict;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp explain}: the verdict for one connection and the rules that decide it. The first line
 * is the combined verdict (a connection is allowed only when the source's egress side and the
 * destination's ingress side both allow it); then each side's decision with its deciding tier, policy
 * and rule, and the steps taken. With {@code -o json} one document with the same parts.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = "Explain the verdict for a connection from a pod to an IP or a pod: the first word is ALLOW"
                + " or DENY (both sides), then the egress decision (at the source's node) and the ingress"
                + " decision (at the destination pod's node).")
final class ExplainCommand extends CliCommand {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    ServiceVipOptions serviceVips;

    @Mixin
    OutputOptions output;

    @Mixin
    ConnectionOptions connection;

    @Option(
            names = "--resolved",
            paramLabel = "NAME=IP[,IP...]",
            description = "What a DNS name resolved to, for domainNames peers (repeatable). Without it a"
                    + " domainNames peer matches nothing, as on a switch that has learned no address.")
    List<String> resolved = new ArrayList<>();

    /** The resolver state the {@code --resolved} entries give; bad input names the entry. */
    ResolverState resolverState() throws BadInput {
        ResolverState state = ResolverState.EMPTY;
        for (String entry : resolved) {
            List<String> problems = new ArrayList<>();
            Optional<ResolverState> next = ResolverState.parseEntry(state, entry, problems);
            if (next.isEmpty()) {
                throw new BadInput("--resolved: " + String.join("; ", problems));
            }
            state = next.get();
        }
        return state;
    }

    @Override
    int execute() throws SnapshotLoadException, BadInput {
        boolean json = output.json();
        connection.check();
        ResolverState names = resolverState();
        ServiceVips vips = serviceVips.value();
        ClusterSnapshot snapshot = cluster.load();
        ConnectionOptions.Connection conn = connection.resolve(snapshot);
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        report(policies.diagnostics(), false); // stderr: the JSON document carries them as well
        ConnectionProbe.Result r =
                new ConnectionProbe(snapshot, policies, vips, names).judge(conn.source(), conn.packet());
        ConnectionVerdict v = r.verdict();
        String egressNode = r.egressNode();
        String ingressNode = r.ingressNode();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("verdict", v.allowed() ? "ALLOW" : "DENY");
            doc.put("summary", headline(v));
            doc.put("connection", connection.json(conn));
            doc.put("egress", JsonOutput.verdict(v.egress(), egressNode));
            doc.put("ingress", JsonOutput.verdict(v.ingress(), ingressNode));
            doc.put("diagnostics", JsonOutput.diagnostics(policies.diagnostics()));
            out().print(JsonOutput.write(doc));
            return Main.EXIT_OK;
        }
        out().println(headline(v));
        side("egress: ", "at the source's node " + egressNode, v.egress());
        side("ingress:", ingressNode.isEmpty() ? "" : "at the destination's node " + ingressNode, v.ingress());
        return Main.EXIT_OK;
    }

    /** {@code ALLOW}, or {@code DENY} with the side that denies: the line scripts read the first word of. */
    static String headline(ConnectionVerdict v) {
        if (v.allowed()) {
            return "ALLOW (egress and ingress allow)";
        }
        if (!v.egress().allowed() && !v.ingress().allowed()) {
            return "DENY (egress and ingress deny)";
        }
        return !v.egress().allowed() ? "DENY (egress denies)" : "DENY (ingress denies)";
    }

    private void side(String label, String where, Verdict v) {
        out().println(label + " " + v.describe() + (where.isEmpty() ? "" : " [" + where + "]"));
        for (String step : v.trace()) {
            out().println("  " + step);
        }
    }
}
