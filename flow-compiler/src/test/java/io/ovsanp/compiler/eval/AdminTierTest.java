package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.eval.Fixture.CLIENT;
import static io.ovsanp.compiler.eval.Fixture.CONTROL_PLANE;
import static io.ovsanp.compiler.eval.Fixture.DB;
import static io.ovsanp.compiler.eval.Fixture.EXTERNAL;
import static io.ovsanp.compiler.eval.Fixture.WEB;
import static io.ovsanp.compiler.eval.Fixture.WORKER;
import static io.ovsanp.compiler.eval.Fixture.evaluate;
import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.banp;
import static io.ovsanp.compiler.testing.TestClusters.labels;
import static io.ovsanp.compiler.testing.TestClusters.networkPolicy;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.compiler.testing.AdminPolicyBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminTierTest {

    @Test
    void firstMatchingRuleWithinAnAnpDecides() {
        AdminPolicyBuilder anp = anp("web-out", 10)
                .allow("https", r -> r.toNetworks("203.0.113.0/24").tcp(443))
                .deny("rest", r -> r.toNetworks("203.0.113.0/24"));

        Verdict https = evaluate(policies().admin(anp), Packet.tcp(WEB, EXTERNAL, 443));
        Verdict other = evaluate(policies().admin(anp), Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(https.allowed()).isTrue();
        assertThat(https.rule().map(r -> r.index())).contains(0);
        assertThat(https.describe()).isEqualTo("ALLOW by AdminNetworkPolicy/web-out egress[0] \"https\" (Allow)");
        assertThat(other.allowed()).isFalse();
        assertThat(other.rule().map(r -> r.index())).contains(1);
        assertThat(other.tier()).contains(Tier.ADMIN);
        assertThat(other.action()).contains(Action.DENY);
    }

    @Test
    void earlierAnpDecidesBeforeLaterAnps() {
        AdminPolicyBuilder deny = anp("deny-internet", 5).deny("block", r -> r.toNetworks("0.0.0.0/0"));
        AdminPolicyBuilder allow = anp("allow-internet", 10).allow("all", r -> r.toNetworks("0.0.0.0/0"));

        Verdict v = evaluate(policies().admin(allow, deny), Packet.tcp(WEB, EXTERNAL, 443));

        assertThat(v.describe()).isEqualTo("DENY by AdminNetworkPolicy/deny-internet egress[0] \"block\" (Deny)");
    }

    @Test
    void evaluatorFollowsTheGivenAnpOrderAndDoesNotResort() {
        EffectivePolicies givenOrder = new EffectivePolicies(
                List.of(
                        anp("allow-internet", 10)
                                .allow("all", r -> r.toNetworks("0.0.0.0/0"))
                                .build(),
                        anp("deny-internet", 5)
                                .deny("block", r -> r.toNetworks("0.0.0.0/0"))
                                .build()),
                List.of(),
                List.of(),
                List.of());

        Verdict v = evaluate(givenOrder, Packet.tcp(WEB, EXTERNAL, 443));

        assertThat(v.allowed()).isTrue();
        assertThat(v.rule().map(r -> r.policy().name())).contains("allow-internet");
    }

    @Test
    void anpWhoseSubjectDoesNotSelectTheSourceHasNoEffect() {
        AdminPolicyBuilder devOnly =
                anp("dev-lockdown", 1).subjectNamespaces(labels("env", "dev")).denyAll("all");

        assertThat(evaluate(policies().admin(devOnly), Packet.tcp(WEB, EXTERNAL, 80))
                        .allowed())
                .isTrue();
        assertThat(evaluate(policies().admin(devOnly), Packet.tcp(CLIENT, EXTERNAL, 80))
                        .allowed())
                .isFalse();
    }

    @Test
    void podSubjectNeedsBothNamespaceAndPodSelectorToMatch() {
        AdminPolicyBuilder webOnly = anp("web", 1)
                .subjectPods(labels("env", "prod"), labels("app", "web"))
                .deny("all", r -> r.toNetworks("0.0.0.0/0"));

        assertThat(evaluate(policies().admin(webOnly), Packet.tcp(WEB, EXTERNAL, 80))
                        .allowed())
                .isFalse();
        assertThat(evaluate(policies().admin(webOnly), Packet.tcp(DB, EXTERNAL, 80))
                        .allowed())
                .isTrue();
    }

    @Test
    void passSkipsTheRemainingAnpsAndGoesToTheBaseline() {
        AdminPolicyBuilder pass = anp("delegate", 1).pass("to-baseline", r -> r.toNetworks("0.0.0.0/0"));
        AdminPolicyBuilder allow = anp("allow-all", 2).allow("all", r -> r.toNetworks("0.0.0.0/0"));
        AdminPolicyBuilder baseline = banp().deny("internet", r -> r.toNetworks("203.0.113.0/24"));

        Verdict v = evaluate(policies().admin(pass, allow).baseline(baseline), Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(v.allowed()).isFalse();
        assertThat(v.tier()).contains(Tier.BASELINE);
        assertThat(v.passedBy().map(r -> r.policy().name())).contains("delegate");
        assertThat(v.describe())
                .isEqualTo("DENY by BaselineAdminNetworkPolicy/default egress[0] \"internet\" (Deny);"
                        + " passed by AdminNetworkPolicy/delegate egress[0] \"to-baseline\"");
    }

    @Test
    void passSkipsTheRestOfItsOwnAnpToo() {
        AdminPolicyBuilder anp = anp("x", 1)
                .deny("unrelated", r -> r.toNetworks("198.51.100.0/24"))
                .pass("delegate", r -> r.toNetworks("0.0.0.0/0"))
                .deny("never-reached", r -> r.toNetworks("0.0.0.0/0"));

        Verdict v = evaluate(policies().admin(anp), Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(v.allowed()).isTrue();
        assertThat(v.describe())
                .isEqualTo("ALLOW: no rule matched; passed by AdminNetworkPolicy/x egress[1] \"delegate\"");
    }

    @Test
    void passGoesToNetworkPolicyBeforeTheBaseline() {
        AdminPolicyBuilder pass = anp("delegate", 1).pass("", r -> r.toNetworks("0.0.0.0/0"));
        AdminPolicyBuilder deny = anp("deny", 2).denyAll("all");
        AdminPolicyBuilder baseline = banp().denyAll("all");

        Verdict v = evaluate(
                policies()
                        .admin(pass, deny)
                        .networkPolicy(
                                networkPolicy("prod", "allow-internet").allow(r -> r.toNetworks("203.0.113.0/24")))
                        .baseline(baseline),
                Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(v.allowed()).isTrue();
        assertThat(v.tier()).contains(Tier.NETWORK_POLICY);
        assertThat(v.describe())
                .isEqualTo("ALLOW by NetworkPolicy/prod/allow-internet egress[0] (Allow);"
                        + " passed by AdminNetworkPolicy/delegate egress[0]");
    }

    @Test
    void failClosedRuleDeniesEverythingFromItsSubjectsOnly() {
        AdminPolicyBuilder broken =
                anp("broken", 50).subjectNamespaces(labels("env", "prod")).denyAll("bad-cidr");
        AdminPolicyBuilder laterAllow = anp("later", 60).allow("all", r -> {});
        var ps = policies().admin(broken, laterAllow);

        for (Packet p : List.of(
                Packet.tcp(WEB, EXTERNAL, 443),
                Packet.udp(WEB, DB, 53),
                Packet.icmp(WEB, WORKER),
                new Packet(WEB, CLIENT, IpProto.other(47), 0))) {
            Verdict v = evaluate(ps, p);
            assertThat(v.allowed()).as(p.toString()).isFalse();
            assertThat(v.failClosed()).isTrue();
        }
        Verdict fromDev = evaluate(ps, Packet.tcp(CLIENT, EXTERNAL, 443));
        assertThat(fromDev.allowed()).isTrue();
        assertThat(fromDev.rule().map(r -> r.policy().name())).contains("later");
        assertThat(evaluate(ps, Packet.tcp(WEB, EXTERNAL, 443)).describe())
                .isEqualTo("DENY by AdminNetworkPolicy/broken egress[0] \"bad-cidr\" (Deny, fail-closed)");
    }

    @Test
    void sourceThatIsNotAPodIsAllowed() {
        var denyEverything = policies().admin(anp("all", 0).denyAll("all")).baseline(banp().denyAll("all"));

        for (Packet p : List.of(
                Packet.tcp(WORKER, EXTERNAL, 80), Packet.tcp(EXTERNAL, WEB, 80), Packet.tcp(CONTROL_PLANE, WEB, 80))) {
            Verdict v = evaluate(denyEverything, p);
            assertThat(v.allowed()).as(p.toString()).isTrue();
            assertThat(v.rule()).isEmpty();
            assertThat(v.tier()).isEmpty();
            assertThat(v.describe()).isEqualTo("ALLOW: source is not a pod subject to policy");
        }
    }

    @Test
    void hostNetworkPodIsNeverASubject() {
        // CONTROL_PLANE is the IP of the host-network pod kube-system/agent.
        var ps = policies()
                .admin(anp("all", 0)
                        .subjectPods(labels(), labels("app", "agent"))
                        .denyAll("x"));

        Verdict v = evaluate(ps, Packet.tcp(CONTROL_PLANE, EXTERNAL, 80));

        assertThat(v.allowed()).isTrue();
        assertThat(v.reason()).isEqualTo(Verdict.NOT_POLICED);
        assertThat(v.passedBy()).isEqualTo(Optional.empty());
    }
}
