package io.ovsanp.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.CompileStats;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.controller.switches.ReconcileResult;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scrapes a real {@link OpsHttpServer} over HTTP after feeding the listener, and parses what it serves. */
class OpsHttpServerTest {
    /** A node name that needs every escape of the label grammar. */
    private static final String ODD_NODE = "we\"ird\\no\nde";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final MetricsListener metrics =
            new MetricsListener(Clock.fixed(Instant.ofEpochSecond(1_767_323_045L), ZoneOffset.UTC), registry);
    private final AtomicLong nanos = new AtomicLong();
    private final Health health = new Health(Duration.ofSeconds(60), nanos::get);
    private final HttpClient http = HttpClient.newHttpClient();
    private OpsHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = OpsHttpServer.start(new InetSocketAddress("127.0.0.1", 0), registry, health);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.address().getPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static CompileResult compiled(String node, Map<String, Integer> perTable) {
        return new CompileResult(
                node,
                FlowSet.of(List.of()),
                List.of(),
                Allocation.EMPTY,
                new CompileStats(perTable, List.of()),
                io.ovsanp.compiler.compile.ReadSet.NONE);
    }

    private static ReconcileResult reconciled(int flowMods) {
        FlowDiff none = new FlowDiff(List.of(), List.of(), List.of());
        return new ReconcileResult(none, flowMods, 0, 0, 0, 0);
    }

    private void feed() {
        Map<String, Integer> tables = new LinkedHashMap<>();
        tables.put("Classifier", 4);
        tables.put("AdminEgress", 12);
        metrics.switchConnected("w1", "0000000000000001");
        metrics.switchConnected(ODD_NODE, "0000000000000002");
        metrics.compiled("w1", compiled("w1", tables), Duration.ofMillis(3));
        metrics.compiled(ODD_NODE, compiled(ODD_NODE, Map.of("Output", 1)), Duration.ofMillis(700));
        metrics.converged("w1", reconciled(16), Duration.ofMillis(40));
        metrics.converged(ODD_NODE, reconciled(1), Duration.ofSeconds(100)); // beyond the last bucket
        metrics.failed("w1", "the switch refused the bundle");
        metrics.switchDisconnected("w2-never-connected");
        metrics.failed("w2", "the switch is not connected");
        ObjectRef anp = ObjectRef.cluster("AdminNetworkPolicy", "broken");
        metrics.validated(
                null,
                new EffectivePolicies(
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(
                                Diagnostic.error(anp, "spec.egress[1].to[0].networks[0]", "not a CIDR"),
                                Diagnostic.error(anp, "spec.egress[1].ports[0]", "bad port"),
                                Diagnostic.error(anp, "spec.egress[3]", "unknown field"),
                                Diagnostic.unenforced(anp, "spec.egress[0].to[0]", "unsupported peer"),
                                Diagnostic.warning(anp, "spec.priority", "same priority as another"),
                                Diagnostic.error(ObjectRef.cluster("NetworkPolicy", "x"), "spec", "no"))),
                io.ovsanp.compiler.cluster.ClusterChange.EVERYTHING);
    }

    @Test
    void scrapeIsValidExpositionWithTheFedValues() throws Exception {
        feed();
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, Double> s = parse(r.body());

        assertThat(s).containsEntry("ovsanp_flows{node=\"w1\",table=\"AdminEgress\"}", 12.0);
        assertThat(s).containsEntry("ovsanp_flows{node=\"w1\",table=\"Classifier\"}", 4.0);
        assertThat(s).containsEntry("ovsanp_flows{node=\"" + ODD_NODE + "\",table=\"Output\"}", 1.0);
        assertThat(s).containsEntry("ovsanp_switches_connected", 2.0);
        assertThat(s).containsEntry("ovsanp_flow_mods_total", 17.0);
        assertThat(s).containsEntry("ovsanp_realisation_failures_total{node=\"w1\"}", 1.0);
        assertThat(s).containsEntry("ovsanp_realisation_failures_total{node=\"w2\"}", 1.0);
        assertThat(s).containsEntry("ovsanp_bundle_errors_total{node=\"w1\"}", 1.0);
        assertThat(s).doesNotContainKey("ovsanp_bundle_errors_total{node=\"w2\"}");
        assertThat(s).containsEntry("ovsanp_invalid_rules", 2.0); // egress[1] twice, egress[3]; not the warning
        assertThat(s)
                .containsEntry("ovsanp_unenforced_policy_parts", 1.0); // the unsupported peer; not the other warning
        assertThat(s).containsEntry("ovsanp_last_convergence_timestamp_seconds{node=\"w1\"}", 1_767_323_045.0);
        assertThat(s).containsEntry("ovsanp_reconcile_seconds_count", 2.0);
        assertThat(s).containsEntry("ovsanp_reconcile_seconds_bucket{le=\"0.05\"}", 1.0);
        // the client writes bounds as Java doubles: le="30.0" where 0.1.0 wrote le="30" (Prometheus 3
        // normalises both to 30.0 when it ingests the text format)
        assertThat(s).containsEntry("ovsanp_reconcile_seconds_bucket{le=\"30.0\"}", 1.0);
        assertThat(s).containsEntry("ovsanp_reconcile_seconds_bucket{le=\"+Inf\"}", 2.0);
        assertThat(s.get("ovsanp_reconcile_seconds_sum")).isEqualTo(100.04, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s).containsEntry("ovsanp_compile_seconds_bucket{le=\"0.0025\"}", 0.0);
        assertThat(s).containsEntry("ovsanp_compile_seconds_bucket{le=\"0.005\"}", 1.0);
        assertThat(s).containsEntry("ovsanp_compile_seconds_bucket{le=\"1.0\"}", 2.0);
        for (String h : List.of("ovsanp_reconcile_seconds", "ovsanp_compile_seconds")) {
            assertMonotonic(s, h);
        }

        metrics.nodeRemoved("w1");
        assertThat(parse(get("/metrics").body()))
                .noneSatisfy((k, v) -> assertThat(k).contains("node=\"w1\""));
    }

    /**
     * The families that 0.1.0 served, written down from its hand-written exposition
     * (metrics/families-0.1.0.txt: name, type, label names, help): dashboards and alerts depend on them,
     * so a scrape keeps every one with the same type and labels.
     */
    @Test
    void servesTheFamiliesOfVersion010WithTheirTypesLabelsAndHelp() throws Exception {
        feed();
        String baseline;
        try (var in = OpsHttpServerTest.class.getResourceAsStream("/metrics/families-0.1.0.txt")) {
            baseline = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(Families.of(get("/metrics").body())
                        .startingWith("ovsanp_")
                        .of010()
                        .text())
                .isEqualTo(baseline);
    }

    private HttpResponse<String> scrape(String accept) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.address().getPort() + "/metrics"))
                        .header("Accept", accept)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theFormatIsTheOneTheScraperAsksFor() throws Exception {
        feed();
        String text = "text/plain; version=0.0.4; charset=utf-8";
        String openMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";
        assertThat(scrape("text/plain").headers().firstValue("Content-Type")).hasValue(text);

        // what Prometheus sends by default: OpenMetrics, whose counter families drop `_total`
        HttpResponse<String> om = scrape("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(om.statusCode()).isEqualTo(200);
        assertThat(om.headers().firstValue("Content-Type")).hasValue(openMetrics);
        assertThat(om.body())
                .endsWith("# EOF\n")
                .contains("# TYPE ovsanp_flow_mods counter\n")
                .contains("\novsanp_flow_mods_total 17.0\n")
                .contains("# TYPE ovsanp_reconcile_seconds histogram\n");

        // with native histograms Prometheus asks for protobuf first; its writer is not on the class
        // path, so the next format it accepts, not an error
        String protobuf = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
        HttpResponse<String> fallback =
                scrape(protobuf + ";q=0.6," + "application/openmetrics-text;version=1.0.0;q=0.5");
        assertThat(fallback.statusCode()).isEqualTo(200);
        assertThat(fallback.headers().firstValue("Content-Type")).hasValue(openMetrics);
        HttpResponse<String> onlyProtobuf = scrape(protobuf);
        assertThat(onlyProtobuf.statusCode()).isEqualTo(200);
        assertThat(onlyProtobuf.headers().firstValue("Content-Type")).hasValue(text);
        assertThat(parse(onlyProtobuf.body())).containsEntry("ovsanp_flow_mods_total", 17.0);
    }

    @Test
    void healthAndReadinessFollowTheLoopAndTheChecks() throws Exception {
        AtomicBoolean synced = new AtomicBoolean(false);
        health.readyWhen("informers-synced", synced::get).readyWhen("switch", metrics.switchReady("w1"));
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("[-]informers-synced").contains("[-]switch");

        synced.set(true);
        metrics.switchConnected("w1", "0000000000000001");
        assertThat(get("/readyz").body()).contains("[+]informers-synced").contains("[-]switch");
        metrics.converged("w1", reconciled(0), Duration.ofMillis(1));
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        metrics.switchDisconnected("w1");
        assertThat(get("/readyz").statusCode()).isEqualTo(503);

        health.loopBusy();
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        HttpResponse<String> wedged = get("/healthz");
        assertThat(wedged.statusCode()).isEqualTo(503);
        assertThat(wedged.body()).contains("loop busy");
        health.loopIdle();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/metricsx").statusCode()).isEqualTo(404);
        assertThat(get("/").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.address().getPort() + "/metrics"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private static void assertMonotonic(Map<String, Double> s, String h) {
        List<Map.Entry<Double, Double>> buckets = new ArrayList<>();
        s.forEach((k, v) -> {
            Matcher m = Pattern.compile(Pattern.quote(h) + "_bucket\\{le=\"([^\"]+)\"}")
                    .matcher(k);
            if (m.matches()) {
                double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
                buckets.add(Map.entry(le, v));
            }
        });
        buckets.sort(Map.Entry.comparingByKey());
        assertThat(buckets).hasSizeGreaterThan(2);
        for (int i = 1; i < buckets.size(); i++) {
            assertThat(buckets.get(i).getValue())
                    .isGreaterThanOrEqualTo(buckets.get(i - 1).getValue());
        }
        assertThat(buckets.get(buckets.size() - 1).getKey()).isInfinite();
        assertThat(buckets.get(buckets.size() - 1).getValue()).isEqualTo(s.get(h + "_count"));
    }

    // --- a small parser of the text format 0.0.4, strict about what we emit ---

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");

    /**
     * Series key ({@code name{l="v",...}} with values unescaped) to value. Fails on any line outside the
     * grammar, a sample without a preceding TYPE of its family, a TYPE seen twice, or a duplicate series.
     */
    static Map<String, Double> parse(String text) {
        assertThat(text).endsWith("\n");
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            if (line.startsWith("#")) {
                Matcher m = COMMENT.matcher(line);
                if (!m.matches()) {
                    fail("bad comment line: " + line);
                }
                if (m.group(1).equals("TYPE")) {
                    assertThat(m.group(3)).isIn("counter", "gauge", "histogram", "summary", "untyped");
                    assertThat(types.put(m.group(2), m.group(3)))
                            .as("TYPE twice: " + line)
                            .isNull();
                }
                continue;
            }
            int[] pos = {0};
            Matcher n = NAME.matcher(line);
            if (!n.lookingAt()) {
                fail("no metric name: " + line);
            }
            String name = n.group();
            pos[0] = n.end();
            StringBuilder key = new StringBuilder(name);
            if (pos[0] < line.length() && line.charAt(pos[0]) == '{') {
                key.append('{');
                pos[0]++;
                boolean first = true;
                while (line.charAt(pos[0]) != '}') {
                    if (!first) {
                        assertThat(line.charAt(pos[0])).as(line).isEqualTo(',');
                        pos[0]++;
                        key.append(',');
                    }
                    first = false;
                    Matcher l = NAME.matcher(line).region(pos[0], line.length());
                    if (!l.lookingAt()) {
                        fail("bad label name: " + line);
                    }
                    key.append(l.group()).append("=\"");
                    pos[0] = l.end();
                    assertThat(line.substring(pos[0], pos[0] + 2)).as(line).isEqualTo("=\"");
                    pos[0] += 2;
                    while (line.charAt(pos[0]) != '"') {
                        char c = line.charAt(pos[0]++);
                        if (c == '\\') {
                            char e = line.charAt(pos[0]++);
                            switch (e) {
                                case '\\' -> key.append('\\');
                                case '"' -> key.append('"');
                                case 'n' -> key.append('\n');
                                default -> fail("bad escape \\" + e + " in " + line);
                            }
                        } else {
                            key.append(c);
                        }
                    }
                    key.append('"');
                    pos[0]++;
                }
                key.append('}');
                pos[0]++;
            }
            assertThat(line.charAt(pos[0])).as(line).isEqualTo(' ');
            String value = line.substring(pos[0] + 1);
            double v = switch (value) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(value);
            };
            String family = name.replaceAll("_(bucket|sum|count)$", "");
            assertThat(types.containsKey(name) || types.get(family) != null)
                    .as("sample before its TYPE: " + line)
                    .isTrue();
            assertThat(out.put(key.toString(), v))
                    .as("duplicate series: " + line)
                    .isNull();
        }
        return out;
    }
}
