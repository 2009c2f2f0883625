package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.eval.Fixture.CLIENT;
import static io.ovsanp.compiler.eval.Fixture.DB;
import static io.ovsanp.compiler.eval.Fixture.EXTERNAL;
import static io.ovsanp.compiler.eval.Fixture.WEB;
import static io.ovsanp.compiler.eval.Fixture.evaluate;
import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.banp;
import static io.ovsanp.compiler.testing.TestClusters.labels;
import static io.ovsanp.compiler.testing.TestClusters.networkPolicy;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.compiler.testing.NetworkPolicyBuilder;
import org.junit.jupiter.api.Test;

class NetworkPolicyTierTest {

    private static NetworkPolicyBuilder defaultDeny() {
        return networkPolicy("prod", "default-deny");
    }

    @Test
    void isolationDeniesWhatNoRuleAllowsAndSkipsTheBaseline() {
        var ps = policies().networkPolicy(defaultDeny()).baseline(banp().allow("all", r -> {}));

        Verdict v = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(v.allowed()).isFalse();
        assertThat(v.tier()).contains(Tier.NETWORK_POLICY);
        assertThat(v.rule()).isEmpty();
        assertThat(v.isolatingPolicies()).containsExactly(defaultDeny().ref());
        assertThat(v.describe())
                .isEqualTo("DENY: NetworkPolicy isolation (NetworkPolicy/prod/default-deny selects prod/web;"
                        + " no egress rule allows it)");
    }

    @Test
    void networkPolicyRuleAllowsWhatItMatches() {
        var ps = policies()
                .networkPolicy(defaultDeny())
                .networkPolicy(networkPolicy("prod", "dns")
                        .podSelector(labels("app", "web"))
                        .allow(r -> r.toPodsIn("prod", labels("app", "db")).udp(53)))
                .baseline(banp().denyAll("all"));

        Verdict dns = evaluate(ps, Packet.udp(WEB, DB, 53));
        Verdict http = evaluate(ps, Packet.tcp(WEB, DB, 80));

        assertThat(dns.allowed()).isTrue();
        assertThat(dns.describe()).isEqualTo("ALLOW by NetworkPolicy/prod/dns egress[0] (Allow)");
        assertThat(http.allowed()).isFalse();
        assertThat(http.isolatingPolicies()).hasSize(2);
        assertThat(http.reason()).contains("NetworkPolicy/prod/default-deny, NetworkPolicy/prod/dns select prod/web");
    }

    @Test
    void rulesOfPoliciesThatDoNotSelectThePodDoNotAllow() {
        var ps = policies()
                .networkPolicy(defaultDeny())
                .networkPolicy(networkPolicy("prod", "db-only")
                        .podSelector(labels("app", "db"))
                        .allow(r -> r.toNetworks("0.0.0.0/0")));

        assertThat(evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80)).allowed()).isFalse();
        assertThat(evaluate(ps, Packet.tcp(DB, EXTERNAL, 80)).allowed()).isTrue();
    }

    @Test
    void networkPolicyOfAnotherNamespaceDoesNotIsolate() {
        var ps = policies()
                .networkPolicy(networkPolicy("dev", "default-deny"))
                .baseline(banp().deny("internet", r -> r.toNetworks("203.0.113.0/24")));

        Verdict v = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(v.tier()).contains(Tier.BASELINE);
        assertThat(evaluate(ps, Packet.tcp(CLIENT, EXTERNAL, 80)).tier()).contains(Tier.NETWORK_POLICY);
    }

    @Test
    void networkPolicyThatDoesNotGovernEgressDoesNotIsolate() {
        var ps = policies().networkPolicy(defaultDeny().isolatesEgress(false));

        Verdict v = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(v.allowed()).isTrue();
        assertThat(v.describe()).isEqualTo("ALLOW: no rule matched");
    }

    @Test
    void anpAllowCannotBeOverriddenByNetworkPolicy() {
        var ps = policies()
                .admin(anp("allow-internet", 10)
                        .allow("https", r -> r.toNetworks("0.0.0.0/0").tcp(443)))
                .networkPolicy(defaultDeny());

        Verdict v = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 443));

        assertThat(v.allowed()).isTrue();
        assertThat(v.tier()).contains(Tier.ADMIN);
        assertThat(evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80)).tier()).contains(Tier.NETWORK_POLICY);
    }

    @Test
    void anpDenyCannotBeOverriddenByNetworkPolicyAllow() {
        var ps = policies()
                .admin(anp("deny-internet", 10).deny("all", r -> r.toNetworks("0.0.0.0/0")))
                .networkPolicy(defaultDeny().allow(r -> {}));

        Verdict v = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 443));

        assertThat(v.allowed()).isFalse();
        assertThat(v.tier()).contains(Tier.ADMIN);
    }

    @Test
    void protocolOnlyPortAllowsEveryPortOfThatProtocol() {
        var ps = policies().networkPolicy(defaultDeny().allow(r -> r.anyPort(Protocol.UDP)));

        assertThat(evaluate(ps, Packet.udp(WEB, EXTERNAL, 12345)).allowed()).isTrue();
        assertThat(evaluate(ps, Packet.tcp(WEB, EXTERNAL, 12345)).allowed()).isFalse();
        assertThat(evaluate(ps, Packet.icmp(WEB, EXTERNAL)).allowed()).isFalse();
    }
}
