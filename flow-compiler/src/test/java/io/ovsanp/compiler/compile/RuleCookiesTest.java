package io.ovsanp.compiler.compile;

import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.banp;
import static io.ovsanp.compiler.testing.TestClusters.cluster;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.EffectivePolicies;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RuleCookiesTest {
    private static final ClusterSnapshot CLUSTER = cluster()
            .namespace("shop")
            .label("team", "a")
            .and()
            .pod("shop", "web", "10.244.1.2")
            .on("n1")
            .label("app", "web")
            .and()
            .pod("shop", "api", "10.244.1.3")
            .on("n1")
            .label("app", "api")
            .and()
            .node("n1", "172.18.0.11")
            .and()
            .build();

    private static EffectivePolicies policiesWith(String firstRule) {
        return policies()
                .admin(anp("guard", 10)
                        .allow(
                                firstRule,
                                r -> r.toNetworks("10.96.0.10/32", "10.96.0.12/32", "10.96.0.14/32", "10.96.0.16/32")
                                        .udp(53)
                                        .tcp(53)
                                        .tcp(5353)
                                        .tcp(853))
                        .deny("ssh", r -> r.toNetworks("192.0.2.0/24").tcp(22)))
                .baseline(banp().deny("all", r -> r.toNetworks("0.0.0.0/0")))
                .build();
    }

    private static CompileResult compile(EffectivePolicies p, Allocation previous) {
        return Compiler.compile(CLUSTER, p, "n1", previous, CompileOptions.DEFAULT);
    }

    @Test
    void everyFlowOfARuleCookieNamesItsRuleAndOthersNameNone() {
        CompileResult r = compile(policiesWith("dns"), Allocation.EMPTY);
        RuleCookies cookies = RuleCookies.of(r);
        assertThat(cookies.rules()).hasSize(3);
        int named = 0;
        for (Flow f : r.flows()) {
            var rule = cookies.rule(f.cookie());
            if (RuleCookies.isRuleCookie(f.cookie())) {
                assertThat(rule).as(f.toString()).isPresent();
                assertThat(rule.get().priority()).isEqualTo(f.priority().value());
                named++;
            } else {
                assertThat(rule).as(f.toString()).isEmpty();
            }
        }
        assertThat(named).isGreaterThan(3);
        RuleCookies.Rule ssh = cookies.select("guard", OptionalInt.of(1)).get(0);
        assertThat(ssh.action()).isEqualTo(Action.DENY);
        assertThat(ssh.ref().name()).isEqualTo("ssh");
        assertThat(ssh.table()).isEqualTo("AdminEgress");
        assertThat(cookies.select("AdminNetworkPolicy/guard", OptionalInt.empty()))
                .extracting(x -> x.ref().name())
                .containsExactly("dns", "ssh");
        assertThat(cookies.select("BaselineAdminNetworkPolicy/default", OptionalInt.of(0)))
                .singleElement()
                .satisfies(x -> assertThat(x.action()).isEqualTo(Action.DENY));
        assertThat(cookies.select("nothing", OptionalInt.empty())).isEmpty();
        assertThat(cookies.rule(new Cookie(ssh.ruleId())))
                .as("not our owner tag")
                .isEmpty();
    }

    @Test
    void onlyThePlainAndConjIdFlowsOfARuleDecide() {
        CompileResult r = compile(policiesWith("dns"), Allocation.EMPTY);
        RuleCookies cookies = RuleCookies.of(r);
        long dns = cookies.select("guard", OptionalInt.of(0)).get(0).ruleId();
        List<Flow> flows = r.flows().flows().stream()
                .filter(f -> RuleCookies.isRuleCookie(f.cookie()) && f.cookie().ruleId() == dns)
                .toList();
        // 4 destinations x 4 ports: a conjunction, one conj_id flow deciding
        assertThat(flows.stream().filter(RuleCookies::decides))
                .singleElement()
                .satisfies(f -> assertThat(f.match().toString()).contains("conj_id"));
        assertThat(flows).hasSizeGreaterThan(1);
    }

    @Test
    void aRecompileKeepsARulesCookieAndARenamedRuleKeepsItsId() {
        CompileResult first = compile(policiesWith("dns"), Allocation.EMPTY);
        CompileResult again = compile(policiesWith("names"), first.allocation());
        RuleCookies before = RuleCookies.of(first);
        RuleCookies after = RuleCookies.of(again);
        RuleCookies.Rule was = before.select("guard", OptionalInt.of(0)).get(0);
        RuleCookies.Rule is = after.select("guard", OptionalInt.of(0)).get(0);
        assertThat(is.ruleId()).isEqualTo(was.ruleId());
        assertThat(is.ref().name()).isEqualTo("names");
    }
}
