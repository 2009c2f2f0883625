package io.ovsanp.it.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.it.run.OvsAnpProcess;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/ovs-anp trace} on a real ovs-vswitchd after {@code sync --once}: the steps name the rule
 * that decides, the switch's verdict agrees with {@code explain}; once the deny rule's flows are
 * deleted behind the controller's back, trace says the switch disagrees and exits 1.
 */
class TraceCliIT {
    static final String EXAMPLE = "examples/internet-blocked-intranet-allowed";

    @Test
    void traceNamesTheDecidingRuleAgreesWithExplainAndReportsATamperedSwitch() {
        Needs.ovs();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            String sw = "unix:" + bridge.mgmtSocket();
            Command.Result sync =
                    SyncCliIT.ovsAnp(ovs, "sync", "--cluster", EXAMPLE, "--node", "worker-1", "--switch", sw, "--once");
            assertThat(sync.exit()).as(sync.output()).isZero();

            String[] internet = {"--from", "shop/web", "--to", "8.8.8.8", "--port", "443"};
            Command.Result explain = SyncCliIT.ovsAnp(ovs, args(List.of("explain", "--cluster", EXAMPLE), internet));
            assertThat(explain.stdout().lines()).as(explain.output()).contains("DENY (egress denies)");
            Command.Result deny = trace(ovs, sw, internet);
            assertThat(deny.exit()).as(deny.output()).isZero();
            assertThat(deny.stdout())
                    .as(deny.output())
                    .contains("trace tcp 10.244.1.10 -> 8.8.8.8:443 on node worker-1, bridge br-int")
                    .contains("table 0 (Classifier) priority 10 cookie 0x")
                    .containsPattern("table 3 \\(AdminEgress\\) priority \\d+ cookie 0x[0-9a-f]+ → rule"
                            + " AdminNetworkPolicy/intranet-only egress\\[1] \"deny-internet\": drop")
                    .contains("datapath actions: drop")
                    .contains("DENY by the switch (rule AdminNetworkPolicy/intranet-only egress[1] \"deny-internet\")")
                    .contains("explain: DENY (egress denies)")
                    .contains("agrees with explain: the policies deny it on node worker-1 (egress)");

            String[] intranet = {"--from", "shop/web", "--to", "10.1.2.3", "--port", "443"};
            Command.Result allow = trace(ovs, sw, intranet);
            assertThat(allow.exit()).as(allow.output()).isZero();
            assertThat(allow.stdout())
                    .as(allow.output())
                    .contains("→ rule AdminNetworkPolicy/intranet-only egress[0] \"allow-intranet\": goto_table:6")
                    .contains("table 9 (Commit)")
                    .contains(
                            "ALLOW by the switch (rule AdminNetworkPolicy/intranet-only egress[0] \"allow-intranet\")")
                    .contains("agrees with explain: the policies allow it on node worker-1 (egress)");

            JsonNode doc = json(ovs, sw, internet);
            assertThat(doc.get("verdict").asString()).isEqualTo("DENY");
            assertThat(doc.get("agrees").asBoolean()).isTrue();
            assertThat(doc.get("decidedBy").get("name").asString()).isEqualTo("deny-internet");
            String denyCookie = null;
            for (JsonNode step : doc.get("steps")) {
                if (step.get("rule").isObject()
                        && step.get("rule").get("name").asString().equals("deny-internet")) {
                    denyCookie = step.get("cookie").asString();
                    assertThat(step.get("tableName").asString()).isEqualTo("AdminEgress");
                }
            }
            assertThat(denyCookie).as("the deny rule's cookie in %s", doc).isNotNull();

            // behind the controller's back: the deny rule's flows go
            bridge.ofctl("-O", "OpenFlow13", "del-flows", bridge.target(), "cookie=" + denyCookie + "/-1");
            Command.Result tampered = trace(ovs, sw, internet);
            assertThat(tampered.exit()).as(tampered.output()).isEqualTo(1);
            assertThat(tampered.stdout())
                    .as(tampered.output())
                    .doesNotContain("deny-internet")
                    .contains("ALLOW by the switch")
                    .contains("DISAGREES with explain: switch says ALLOW, policy says DENY"
                            + " (switch out of sync? run ovs-anp diff)");
            JsonNode after = json(ovs, sw, internet);
            assertThat(after.get("agrees").asBoolean()).isFalse();
            assertThat(after.get("explain").get("verdict").asString()).isEqualTo("DENY");
            // the allowed connection is unaffected by the tampering
            assertThat(trace(ovs, sw, intranet).exit()).isZero();
        }
    }

    private static Command.Result trace(PrivateOvs ovs, String sw, String... connection) {
        return SyncCliIT.ovsAnp(ovs, args(List.of("trace", "--cluster", EXAMPLE, "--switch", sw), connection));
    }

    private static JsonNode json(PrivateOvs ovs, String sw, String... connection) {
        Command.Result r = OvsAnpProcess.runApart(
                SyncCliIT.repo(),
                Map.of("OVS_RUNDIR", ovs.runDir().toString()),
                args(List.of("trace", "--cluster", EXAMPLE, "--switch", sw, "-o", "json"), connection));
        assertThat(r.stderr()).as(r.output()).doesNotContain("error");
        return JsonMapper.builder().build().readTree(r.stdout());
    }

    private static String[] args(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
