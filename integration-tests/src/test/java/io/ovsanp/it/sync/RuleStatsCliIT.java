package io.ovsanp.it.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.controller.cli.Main;
import io.ovsanp.controller.metrics.RuleMetrics;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.run.AgentSwitchSource;
import io.ovsanp.controller.run.Controller;
import io.ovsanp.controller.run.LoopOptions;
import io.ovsanp.controller.run.SnapshotFeed;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.Wait;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rule counters on a real switch: {@code sync --once} of examples/internet-blocked-intranet-allowed,
 * real packets through the pipeline ({@code ovs-ofctl packet-out ... table}, which OVS credits to the
 * flows that handle them), then {@code stats -o json} shows the Deny and the Allow rule with their
 * packets, {@code flows --rule POLICY/INDEX} lists exactly the rule's flows and {@code flows --cookie}
 * names the rule (from the switch alone: its tier and rule id).
 */
class RuleStatsCliIT {
    private static final String CLUSTER = "examples/internet-blocked-intranet-allowed";
    private static final String WEB = "10.244.1.10"; // shop/web on worker-1, a subject
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Ran(int exit, String out, String err) {}

    private static Ran cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Ran(exit, out.toString(), err.toString());
    }

    private static Path repo() {
        return SyncCliIT.repo();
    }

    /** One UDP packet from {@code src} to {@code dst}, sent through the bridge's pipeline from table 0. */
    private static void send(Bridge b, String src, String dst, int srcPort) {
        b.sendThroughPipeline("udp,nw_src=" + src + ",nw_dst=" + dst + ",nw_ttl=64,udp_src=" + srcPort + ",udp_dst=53");
    }

    private static JsonNode rule(JsonNode stats, String name) {
        for (JsonNode r : stats.get("rules")) {
            if (r.get("name").asString().equals(name)) return r;
        }
        throw new AssertionError("no rule " + name + " in " + stats);
    }

    @Test
    void statsCountTheRulesThatDecidedRealPacketsAndFlowsNameTheirRule() throws Exception {
        Needs.ovs();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            String sw = bridge.target();
            String cluster = repo().resolve(CLUSTER).toString();
            Ran sync = cli("sync", "--cluster", cluster, "--node", "worker-1", "--switch", sw, "--once");
            assertThat(sync.exit()).as(sync.err()).isZero();

            send(bridge, WEB, "203.0.113.10", 1000); // the internet: deny-internet
            send(bridge, WEB, "203.0.113.10", 1001);
            send(bridge, WEB, "10.10.0.5", 1002); // the intranet: allow-intranet
            Ran stats = cli("stats", "--cluster", cluster, "--node", "worker-1", "--switch", sw, "-o", "json");
            assertThat(stats.exit()).as(stats.err()).isZero();
            JsonNode doc = JSON.readTree(stats.out());
            JsonNode deny = rule(doc, "deny-internet");
            JsonNode allow = rule(doc, "allow-intranet");
            assertThat(deny.get("action").asString()).isEqualTo("Deny");
            assertThat(deny.get("direction").asString()).isEqualTo("egress");
            assertThat(deny.get("index").asInt()).isEqualTo(1);
            assertThat(deny.get("policy").get("name").asString()).isEqualTo("intranet-only");
            assertThat(deny.get("packets").asLong())
                    .as(bridge.dumpFlowsText(true))
                    .isEqualTo(2);
            assertThat(deny.get("bytes").asLong()).isPositive();
            assertThat(allow.get("action").asString()).isEqualTo("Allow");
            assertThat(allow.get("packets").asLong())
                    .as(bridge.dumpFlowsText(true))
                    .isEqualTo(1);

            // flows --rule: exactly the rule's compiled flows (a fresh bridge: numbered from scratch)
            CompileResult compiled =
                    Compiler.compile(SnapshotLoader.load(List.of(Path.of(cluster))), "worker-1", Allocation.EMPTY);
            RuleCookies cookies = RuleCookies.of(compiled);
            RuleCookies.Rule denyRule =
                    cookies.select("intranet-only", OptionalInt.of(1)).get(0);
            List<String> expected = new ArrayList<>();
            for (Flow f : compiled.flows()) {
                if (cookies.rule(f.cookie()).filter(denyRule::equals).isPresent()) {
                    expected.add(OfctlRenderer.render(f));
                }
            }
            assertThat(expected).isNotEmpty();
            Ran flows = cli(
                    "flows",
                    "--switch",
                    sw,
                    "--cluster",
                    cluster,
                    "--node",
                    "worker-1",
                    "--rule",
                    "intranet-only/1",
                    "-o",
                    "json");
            assertThat(flows.exit()).as(flows.err()).isZero();
            List<String> listed = new ArrayList<>();
            JsonNode flowsDoc = JSON.readTree(flows.out());
            flowsDoc.get("flows").forEach(f -> listed.add(f.get("ofctl").asString()));
            assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
            String cookie = flowsDoc.get("flows").get(0).get("cookie").asString();

            // a cookie alone: tier and rule id from the switch; with the cluster, the rule's name
            Ran bare = cli("flows", "--switch", sw, "--cookie", cookie, "-o", "json");
            assertThat(bare.exit()).as(bare.err()).isZero();
            JsonNode bareDoc = JSON.readTree(bare.out());
            assertThat(bareDoc.get("flows")).hasSize(expected.size());
            JsonNode first = bareDoc.get("flows").get(0);
            assertThat(first.get("category").asString()).isEqualTo("admin");
            assertThat(first.get("ruleId").asLong()).isEqualTo(denyRule.ruleId());
            assertThat(first.get("tableName").asString()).isEqualTo("AdminEgress");
            assertThat(first.get("rule").isNull()).isTrue();
            Ran named = cli("flows", "--switch", sw, "--cookie", cookie, "--cluster", cluster, "--node", "worker-1");
            assertThat(named.exit()).as(named.err()).isZero();
            assertThat(named.out().lines())
                    .hasSize(expected.size())
                    .allSatisfy(l -> assertThat(l)
                            .contains("AdminNetworkPolicy/intranet-only egress[1] \"deny-internet\" Deny"));
        }
    }

    /**
     * {@code run}'s poll: the loop converges the switch, real packets hit the Deny rule, and the
     * rule's Prometheus counter in the loop's registry shows them on the next poll.
     */
    @Test
    void theLoopPollsTheCountersIntoTheRulesPrometheusSeries() throws Exception {
        Needs.ovs();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            ClusterSnapshot snapshot = SnapshotLoader.load(List.of(repo().resolve(CLUSTER)));
            SnapshotFeed feed = new SnapshotFeed();
            feed.set(snapshot);
            PrometheusRegistry registry = new PrometheusRegistry();
            RuleMetrics metrics = new RuleMetrics(registry);
            try (Controller controller = Controller.start(
                    feed,
                    new AgentSwitchSource("worker-1", SwitchTarget.parse(bridge.target()), Optional.empty()),
                    LoopOptions.DEFAULT.withRuleStatsInterval(Duration.ofMillis(200)),
                    List.of(metrics))) {
                assertThat(controller.loop().awaitIdle(Duration.ofSeconds(60))).isTrue();
                Wait.until(() -> bridge.dumpFlows().size() > 10, Duration.ofSeconds(30), "the flows");
                send(bridge, WEB, "203.0.113.10", 2000);
                send(bridge, WEB, "203.0.113.10", 2001);
                send(bridge, WEB, "203.0.113.10", 2002);
                Wait.until(
                        () -> packets(registry, "AdminNetworkPolicy/intranet-only", "1:deny-internet") == 3.0,
                        Duration.ofSeconds(30),
                        "three packets on deny-internet's series");
                assertThat(packets(registry, "AdminNetworkPolicy/intranet-only", "0:allow-intranet"))
                        .isZero();
            }
        }
    }

    private static double packets(PrometheusRegistry registry, String policy, String rule) {
        for (MetricSnapshot s : registry.scrape()) {
            if (!s.getMetadata().getPrometheusName().equals("ovsanp_rule_packets")) continue;
            for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) s).getDataPoints()) {
                if (policy.equals(p.getLabels().get("policy"))
                        && rule.equals(p.getLabels().get("rule"))) {
                    return p.getValue();
                }
            }
        }
        return 0;
    }
}
