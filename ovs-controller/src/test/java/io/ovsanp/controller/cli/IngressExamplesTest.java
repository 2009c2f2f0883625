package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ingress stories of {@code examples/}, each in its v1alpha1 form ({@code <story>}) and as v1alpha2
 * ClusterNetworkPolicy ({@code <story>-cnp}): {@code explain} on the stories' key probes, pod to pod
 * on one node and across nodes, allowed and denied, gives the same verdict in both forms, the side
 * that decides it, the deciding rule and the node that enforces it (the README table shows these).
 */
class IngressExamplesTest {
    private static final String METRICS = "metrics-scrape-only-from-monitoring";
    private static final String TENANTS = "tenant-isolation-pass-to-networkpolicy";

    /**
     * One probe: {@code ingress} is the start of the ingress decision, {@code ingressNode} the node
     * where it is enforced; {@code {KIND}} and {@code {ALLOW}} stand for the policy kind and the Allow
     * action of the form under test (AdminNetworkPolicy/Allow, ClusterNetworkPolicy/Accept).
     */
    record Probe(
            String story,
            String from,
            String to,
            int port,
            String first,
            String egress,
            String ingress,
            String ingressNode) {
        @Override
        public String toString() {
            return story + ": " + from + " -> " + to + " tcp/" + port;
        }
    }

    static final List<Probe> PROBES = List.of(
            // only monitoring scrapes the metrics port: same node (worker-2) and across nodes
            new Probe(
                    METRICS,
                    "monitoring/prometheus",
                    "shop/db",
                    9090,
                    "ALLOW (egress and ingress allow)",
                    "ALLOW: no rule matched",
                    "ALLOW by {KIND}/metrics-only-from-monitoring ingress[0] \"allow-monitoring\" ({ALLOW})",
                    "worker-2"),
            new Probe(
                    METRICS,
                    "monitoring/prometheus",
                    "shop/web",
                    9090,
                    "ALLOW (egress and ingress allow)",
                    "ALLOW: no rule matched",
                    "ALLOW by {KIND}/metrics-only-from-monitoring ingress[0] \"allow-monitoring\" ({ALLOW})",
                    "worker-1"),
            new Probe(
                    METRICS,
                    "analytics/operator",
                    "shop/db",
                    9090,
                    "DENY (ingress denies)",
                    "ALLOW: no rule matched",
                    "DENY by {KIND}/metrics-only-from-monitoring ingress[1] \"deny-other-scrapers\" (Deny)",
                    "worker-2"),
            new Probe(
                    METRICS,
                    "analytics/reporter",
                    "shop/db",
                    9090,
                    "DENY (ingress denies)",
                    "ALLOW: no rule matched",
                    "DENY by {KIND}/metrics-only-from-monitoring ingress[1] \"deny-other-scrapers\" (Deny)",
                    "worker-2"),
            new Probe(
                    METRICS,
                    "analytics/reporter",
                    "shop/web",
                    9090,
                    "DENY (ingress denies)",
                    "ALLOW: no rule matched",
                    "DENY by {KIND}/metrics-only-from-monitoring ingress[1] \"deny-other-scrapers\" (Deny)",
                    "worker-1"),
            // other ports are not the policy's business
            new Probe(
                    METRICS,
                    "analytics/reporter",
                    "shop/db",
                    5432,
                    "ALLOW (egress and ingress allow)",
                    "ALLOW: no rule matched",
                    "ALLOW: no rule matched",
                    "worker-2"),
            new Probe(
                    METRICS,
                    "analytics/operator",
                    "shop/db",
                    5432,
                    "ALLOW (egress and ingress allow)",
                    "ALLOW: no rule matched",
                    "ALLOW: no rule matched",
                    "worker-2"),
            // the same tenant is passed to the app team's NetworkPolicy: db only from web on 5432
            new Probe(
                    TENANTS,
                    "shop/web-2",
                    "shop/db",
                    5432,
                    "ALLOW (egress and ingress allow)",
                    "ALLOW: no rule matched",
                    "ALLOW by NetworkPolicy/shop/db-only-from-web ingress[0] (Allow); passed by"
                            + " {KIND}/tenant-shop ingress[0] \"pass-same-tenant\"",
                    "worker-2"),
            new Probe(
                    TENANTS,
                    "shop/web",
                    "shop/db",
                    5432,
                    "ALLOW (egress and ingress allow)",
                    "ALLOW: no rule matched",
                    "ALLOW by NetworkPolicy/shop/db-only-from-web ingress[0] (Allow); passed by"
                            + " {KIND}/tenant-shop ingress[0] \"pass-same-tenant\"",
                    "worker-2"),
            new Probe(
                    TENANTS,
                    "shop/web-2",
                    "shop/db",
                    9090,
                    "DENY (ingress denies)",
                    "ALLOW: no rule matched",
                    "DENY: NetworkPolicy isolation (NetworkPolicy/shop/db-only-from-web selects shop/db; no ingress"
                            + " rule allows it); passed by {KIND}/tenant-shop ingress[0] \"pass-same-tenant\"",
                    "worker-2"),
            new Probe(
                    TENANTS,
                    "shop/db",
                    "shop/web",
                    8080,
                    "ALLOW (egress and ingress allow)",
                    "ALLOW: no rule matched",
                    "ALLOW: no rule matched; passed by {KIND}/tenant-shop ingress[0] \"pass-same-tenant\"",
                    "worker-1"),
            // other tenants are denied before any NetworkPolicy is consulted
            new Probe(
                    TENANTS,
                    "analytics/operator",
                    "shop/db",
                    5432,
                    "DENY (ingress denies)",
                    "ALLOW: no rule matched",
                    "DENY by {KIND}/tenant-shop ingress[1] \"deny-other-tenants\" (Deny)",
                    "worker-2"),
            new Probe(
                    TENANTS,
                    "analytics/reporter",
                    "shop/db",
                    5432,
                    "DENY (ingress denies)",
                    "ALLOW: no rule matched",
                    "DENY by {KIND}/tenant-shop ingress[1] \"deny-other-tenants\" (Deny)",
                    "worker-2"),
            new Probe(
                    TENANTS,
                    "analytics/reporter",
                    "shop/web",
                    8080,
                    "DENY (ingress denies)",
                    "ALLOW: no rule matched",
                    "DENY by {KIND}/tenant-shop ingress[1] \"deny-other-tenants\" (Deny)",
                    "worker-1"),
            new Probe(
                    TENANTS,
                    "shop/web",
                    "analytics/reporter",
                    8080,
                    "DENY (ingress denies)",
                    "ALLOW: no rule matched",
                    "DENY by {KIND}/tenant-analytics ingress[1] \"deny-other-tenants\" (Deny)",
                    "worker-1"),
            new Probe(
                    TENANTS,
                    "analytics/reporter",
                    "analytics/operator",
                    8080,
                    "ALLOW (egress and ingress allow)",
                    "ALLOW: no rule matched",
                    "ALLOW: no rule matched; passed by {KIND}/tenant-analytics ingress[0] \"pass-same-tenant\"",
                    "worker-2"));

    static Stream<Arguments> probes() {
        return PROBES.stream()
                .flatMap(p -> Stream.of(
                        Arguments.of("v1alpha1", p.story(), "AdminNetworkPolicy", "Allow", p),
                        Arguments.of("v1alpha2", p.story() + "-cnp", "ClusterNetworkPolicy", "Accept", p)));
    }

    @ParameterizedTest(name = "{0} {4}")
    @MethodSource("probes")
    void explainGivesTheStorysVerdictAndTheDecidingSide(
            String form, String example, String kind, String allow, Probe p) {
        Path cluster = CliRun.repo().resolve("examples").resolve(example);
        CliRun r = CliRun.of(
                "explain",
                "--cluster",
                cluster.toString(),
                "--from",
                p.from(),
                "--to",
                p.to(),
                "--proto",
                "tcp",
                "--port",
                Integer.toString(p.port()));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        String egress =
                lines.stream().filter(l -> l.startsWith("egress:")).findFirst().orElseThrow();
        String ingress =
                lines.stream().filter(l -> l.startsWith("ingress:")).findFirst().orElseThrow();
        String want = p.ingress().replace("{KIND}", kind).replace("{ALLOW}", allow);
        assertThat(lines.get(0)).as(r.out()).isEqualTo(p.first());
        assertThat(egress).as(r.out()).startsWith("egress:  " + p.egress());
        assertThat(ingress)
                .as(r.out())
                .startsWith("ingress: " + want)
                .endsWith("[at the destination's node " + p.ingressNode() + "]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void bothFormsOfAStoryShareTheirCluster(String story) throws Exception {
        Path examples = CliRun.repo().resolve("examples");
        assertThat(examples.resolve(story + "-cnp/cluster.yaml"))
                .hasSameTextualContentAs(examples.resolve(story).resolve("cluster.yaml"));
    }

    static Stream<String> stories() {
        return Stream.of(METRICS, TENANTS);
    }
}
