package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.eval.Fixture.CLIENT;
import static io.ovsanp.compiler.eval.Fixture.DB;
import static io.ovsanp.compiler.eval.Fixture.EXTERNAL;
import static io.ovsanp.compiler.eval.Fixture.WEB;
import static io.ovsanp.compiler.eval.Fixture.evaluate;
import static io.ovsanp.compiler.testing.TestClusters.banp;
import static io.ovsanp.compiler.testing.TestClusters.labels;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.Tier;
import org.junit.jupiter.api.Test;

class BaselineTierTest {

    @Test
    void baselineDenyAppliesWhenNothingEarlierMatched() {
        var ps = policies().baseline(banp().deny("internet", r -> r.toNetworks("203.0.113.0/24")));

        Verdict v = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(v.allowed()).isFalse();
        assertThat(v.tier()).contains(Tier.BASELINE);
        assertThat(v.action()).contains(Action.DENY);
        assertThat(v.describe()).startsWith("DENY by BaselineAdminNetworkPolicy/default egress[0]");
    }

    @Test
    void firstMatchingBaselineRuleDecides() {
        var ps = policies()
                .baseline(banp().allow(
                                "https", r -> r.toNetworks("203.0.113.0/24").tcp(443))
                        .deny("internet", r -> r.toNetworks("203.0.113.0/24")));

        Verdict https = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 443));

        assertThat(https.allowed()).isTrue();
        assertThat(https.describe())
                .isEqualTo("ALLOW by BaselineAdminNetworkPolicy/default egress[0] \"https\" (Allow)");
        assertThat(evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80)).allowed()).isFalse();
    }

    @Test
    void baselineAppliesOnlyToItsSubjects() {
        var ps = policies()
                .baseline(banp().subjectNamespaces(labels("env", "dev")).denyAll("all"));

        assertThat(evaluate(ps, Packet.tcp(CLIENT, EXTERNAL, 80)).allowed()).isFalse();
        assertThat(evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80)).allowed()).isTrue();
    }

    @Test
    void nothingMatchedIsAllowed() {
        var ps = policies().baseline(banp().deny("internet", r -> r.toNetworks("198.51.100.0/24")));

        Verdict v = evaluate(ps, Packet.tcp(WEB, DB, 5432));

        assertThat(v.allowed()).isTrue();
        assertThat(v.tier()).isEmpty();
        assertThat(v.rule()).isEmpty();
        assertThat(v.describe()).isEqualTo("ALLOW: no rule matched");
    }

    @Test
    void passInABaselineAdminNetworkPolicyIsDefensivelyTreatedAsNoMatch() {
        var ps = policies()
                .baseline(banp().pass("impossible", r -> {}).deny("internet", r -> r.toNetworks("0.0.0.0/0")));

        Verdict v = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(v.allowed()).isFalse();
        assertThat(v.rule().map(r -> r.index())).contains(1);
        assertThat(v.passedBy()).isEmpty();
    }
}
