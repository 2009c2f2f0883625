package io.ovsanp.controller.deploy;

import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.cluster;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.CompileStats;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.controller.audit.AuditLine;
import io.ovsanp.controller.audit.AuditLog;
import io.ovsanp.controller.audit.AuditOptions;
import io.ovsanp.controller.metrics.AuditMetrics;
import io.ovsanp.controller.metrics.Families;
import io.ovsanp.controller.metrics.Health;
import io.ovsanp.controller.metrics.MetricsListener;
import io.ovsanp.controller.metrics.OpsHttpServer;
import io.ovsanp.controller.metrics.RuleMetrics;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.switches.ReconcileResult;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ops port is plain, unauthenticated HTTP, so README ("Metrics and health") says exactly what it
 * exposes, and this test holds the server and the README to each other: {@code /metrics}, {@code
 * /healthz} and {@code /readyz} answer GET and HEAD, every other path is 404 and every other method
 * 405, and the metric families and labels the README lists are the ones a scrape serves.
 */
class OpsEndpointsTest {
    private static final List<String> SERVED = List.of("/metrics", "/healthz", "/readyz");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(ovsanp_[a-z_]+)` \\| [a-z]+ \\| ([^|]+) \\|");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final MetricsListener metrics = new MetricsListener(registry);
    private final HttpClient http = HttpClient.newHttpClient();
    private OpsHttpServer server;

    @BeforeEach
    void start() throws Exception {
        Health health = new Health().readyWhen("informers-synced", () -> true);
        server = OpsHttpServer.start(new InetSocketAddress("127.0.0.1", 0), registry, health);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.address().getPort() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyMetricsHealthzAndReadyzAnswerAndOnlyToGetAndHead() throws Exception {
        for (String path : SERVED) {
            assertThat(send("GET", path).statusCode()).as("GET " + path).isEqualTo(200);
            HttpResponse<String> head = send("HEAD", path);
            assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
                HttpResponse<String> r = send(method, path);
                assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
                assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
            }
        }
        for (String path : List.of(
                "/",
                "/metrics/",
                "/metricsx",
                "/metrics/x",
                "/healthz/verbose",
                "/readyz/informers-synced",
                "/livez",
                "/debug/pprof/",
                "/favicon.ico",
                "/Metrics",
                "/metrics/../admin")) {
            assertThat(send("GET", path).statusCode()).as("GET " + path).isEqualTo(404);
            assertThat(send("HEAD", path).statusCode()).as("HEAD " + path).isEqualTo(404);
        }
    }

    @Test
    void theReadmeListsExactlyTheMetricFamiliesAndLabelsAScrapeServes() throws Exception {
        // one node with a switch that converged and then failed: every family gets its labelled samples
        metrics.switchConnected("w1", "0000000000000001");
        metrics.compiled(
                "w1",
                new CompileResult(
                        "w1",
                        FlowSet.of(List.of()),
                        List.of(),
                        Allocation.EMPTY,
                        new CompileStats(Map.of("AdminEgress", 3), List.of()),
                        io.ovsanp.compiler.compile.ReadSet.NONE),
                Duration.ofMillis(2));
        metrics.converged(
                "w1", new ReconcileResult(new FlowDiff(List.of(), List.of(), List.of()), 3, 0, 0, 0, 0), Duration.ZERO);
        metrics.failed("w1", "the switch refused the bundle");
        // a periodic verification (run --verify-interval) that found the switch unequal
        metrics.verified(
                "w1",
                io.ovsanp.controller.run.VerifyOutcome.of(
                        new io.ovsanp.compiler.verify.VerifyResult("w1", 500, 7, 40, List.of()),
                        Duration.ofMillis(30)));
        // the rule counters (run --rule-stats-interval): one rule that counted a packet
        CompileResult guard = Compiler.compile(
                cluster()
                        .namespace("shop")
                        .and()
                        .pod("shop", "web", "10.244.1.2")
                        .on("w1")
                        .and()
                        .node("w1", "172.18.0.11")
                        .and()
                        .build(),
                policies()
                        .admin(anp("guard", 10)
                                .deny("ssh", r -> r.toNetworks("192.0.2.0/24").tcp(22)))
                        .build(),
                "w1",
                Allocation.EMPTY,
                CompileOptions.DEFAULT);
        List<DumpedFlow> dumped = guard.flows().flows().stream()
                .map(f -> {
                    DumpedFlow d = DumpedFlow.of(f);
                    return new DumpedFlow(
                            d.tableId(),
                            d.priority(),
                            d.cookie(),
                            0,
                            0,
                            0,
                            1,
                            0,
                            1,
                            60,
                            d.rawMatch(),
                            d.flow(),
                            "",
                            d.forwarding());
                })
                .toList();
        new RuleMetrics(registry).ruleCounters("w1", RuleCookies.of(guard), dumped);
        String scrape;
        // the audit log's counters (run --audit-log)
        try (AuditLog audit = AuditLog.open(
                new AuditOptions(false, 42405, 100, Optional.empty(), true, AuditLine.Format.json, 1 << 20, 1))) {
            AuditMetrics.register(registry, audit.writer());
            scrape = send("GET", "/metrics").body();
        }

        Map<String, Set<String>> served = new TreeMap<>();
        Families.of(scrape).startingWith("ovsanp_").families().forEach((name, f) -> served.put(name, f.labels()));

        Map<String, Set<String>> documented = new TreeMap<>();
        Matcher row = ROW.matcher(Files.readString(readme()));
        while (row.find()) {
            Set<String> labels = new HashSet<>();
            Matcher l = Pattern.compile("`([a-z_]+)`").matcher(row.group(2));
            while (l.find()) {
                labels.add(l.group(1));
            }
            documented.put(row.group(1), labels);
        }
        assertThat(served).as("families served").hasSizeGreaterThan(5);
        assertThat(documented).as("README's metric table").isEqualTo(served);
        assertThat(scrape)
                .contains("ovsanp_switch_verified{node=\"w1\"} 0.0")
                .contains("ovsanp_switch_verify_cells_differing{node=\"w1\"} 7.0")
                .contains("ovsanp_verifications_total{outcome=\"different\"} 1.0");
    }

    private static Path readme() {
        return Manifests.directory().resolve("..").resolve("README.md").normalize();
    }
}
