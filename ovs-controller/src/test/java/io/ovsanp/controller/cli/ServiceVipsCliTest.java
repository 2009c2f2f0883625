package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --service-vips}: the apiserver's ClusterIP in pre-DNAT mode, on examples/apiserver-pre-dnat. */
class ServiceVipsCliTest {
    private static final String EXAMPLE =
            CliRun.repo().resolve("examples/apiserver-pre-dnat").toString();

    private static CliRun explain(String from, String vips) {
        return CliRun.of(
                "explain",
                "--cluster",
                EXAMPLE,
                "--from",
                from,
                "--to",
                "10.96.0.1",
                "--port",
                "443",
                "--service-vips",
                vips);
    }

    @Test
    void preDnatAllowsTheClusterIpWhenTheAllowRuleCoversEveryEndpoint() {
        CliRun r = explain("shop/web", "pre-dnat");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith(
                        "ALLOW (egress and ingress allow)\negress:  ALLOW by AdminNetworkPolicy/allow-apiserver egress[0] \"control-plane\" (Allow)"
                                + " via pre-DNAT ClusterIP 10.96.0.1 TCP/443 of Service default/kubernetes")
                .contains("all 1 of 1 endpoint(s) covered (172.18.0.10 TCP/6443)");
    }

    @Test
    void withoutPreDnatTheClusterIpIsAPlainAddressThatTheBroadDenyCovers() {
        CliRun r = explain("shop/web", "none");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith("DENY (egress denies)\negress:  DENY by AdminNetworkPolicy/deny-all-egress")
                .doesNotContain("pre-DNAT");
        CliRun byDefault =
                CliRun.of("explain", "--cluster", EXAMPLE, "--from", "shop/web", "--to", "10.96.0.1", "--port", "443");
        assertThat(byDefault.out()).isEqualTo(r.out());
    }

    @Test
    void preDnatDeniesTheClusterIpToTheBlockedWorkloadOnly() {
        assertThat(explain("analytics/reporter", "pre-dnat").out())
                .startsWith(
                        "DENY (egress denies)\negress:  DENY by AdminNetworkPolicy/no-apiserver-for-reporter egress[0] \"control-plane\" (Deny)"
                                + " via pre-DNAT ClusterIP 10.96.0.1 TCP/443");
        assertThat(explain("analytics/operator", "PRE-DNAT").out())
                .startsWith(
                        "ALLOW (egress and ingress allow)\negress:  ALLOW by AdminNetworkPolicy/allow-apiserver egress[0] \"control-plane\" (Allow) via");
    }

    @Test
    void preDnatCompilesTheClusterIpAndServicePortIntoTheRule() {
        CliRun pre = CliRun.of("compile", "--cluster", EXAMPLE, "--node", "worker-1", "--service-vips", "pre-dnat");
        assertThat(pre.exit()).as(pre.err()).isZero();
        assertThat(pre.out().lines().filter(l -> l.contains("nw_dst=10.96.0.1")))
                .isNotEmpty()
                .allMatch(l -> l.contains("tcp,") && l.contains("tp_dst=443"));
        CliRun none = CliRun.of("compile", "--cluster", EXAMPLE, "--node", "worker-1");
        assertThat(none.exit()).isZero();
        assertThat(none.out()).doesNotContain("10.96.0.1");
    }

    @Test
    void anotherValueIsBadInputOnEveryCommand() {
        String expected = "--service-vips must be none or pre-dnat, not \"post-dnat\"";
        CliRun compile = CliRun.of("compile", "--cluster", EXAMPLE, "--service-vips", "post-dnat");
        assertThat(compile.exit()).isEqualTo(2);
        assertThat(compile.err()).contains(expected);
        assertThat(explain("shop/web", "post-dnat").err()).contains(expected);
        for (String cmd : new String[] {"sync", "diff"}) {
            CliRun r = CliRun.of(
                    cmd,
                    "--cluster",
                    EXAMPLE,
                    "--node",
                    "worker-1",
                    "--switch",
                    "unix:/nonexistent/br-int.mgmt",
                    "--service-vips",
                    "post-dnat");
            assertThat(r.exit()).as(cmd).isEqualTo(2);
            assertThat(r.err()).as(cmd).contains(expected);
        }
    }
}
