package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.eval.Fixture.CLIENT;
import static io.ovsanp.compiler.eval.Fixture.CONTROL_PLANE;
import static io.ovsanp.compiler.eval.Fixture.DB;
import static io.ovsanp.compiler.eval.Fixture.DB6;
import static io.ovsanp.compiler.eval.Fixture.EXTERNAL;
import static io.ovsanp.compiler.eval.Fixture.EXTERNAL6;
import static io.ovsanp.compiler.eval.Fixture.WEB;
import static io.ovsanp.compiler.eval.Fixture.WEB6;
import static io.ovsanp.compiler.eval.Fixture.WORKER;
import static io.ovsanp.compiler.eval.Fixture.evaluate;
import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.ip;
import static io.ovsanp.compiler.testing.TestClusters.labels;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.dns.ResolverState;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.testing.AdminPolicyBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationMatchTest {

    private static boolean allowed(AdminPolicyBuilder anp, Packet p) {
        return evaluate(policies().admin(anp), p).allowed();
    }

    @Test
    void networksMatchPodAndNodeIpsToo() {
        AdminPolicyBuilder denyAll4 = anp("deny-all", 1).deny("", r -> r.toNetworks("0.0.0.0/0"));

        assertThat(allowed(denyAll4, Packet.tcp(WEB, DB, 5432))).isFalse();
        assertThat(allowed(denyAll4, Packet.tcp(WEB, WORKER, 10250))).isFalse();
        assertThat(allowed(denyAll4, Packet.tcp(WEB, EXTERNAL, 80))).isFalse();
    }

    @Test
    void aPodSlash32MatchesThatPodOnly() {
        AdminPolicyBuilder denyDb = anp("deny-db", 1).deny("", r -> r.toNetworks("10.0.1.2/32"));

        assertThat(allowed(denyDb, Packet.tcp(WEB, DB, 5432))).isFalse();
        assertThat(allowed(denyDb, Packet.tcp(WEB, CLIENT, 5432))).isTrue();
    }

    @Test
    void denyToNodesDoesNotBlockSamePortOnExternalHost() {
        AdminPolicyBuilder denyApi = anp("deny-apiserver", 1)
                .deny(
                        "api",
                        r -> r.toNodes(labels("node-role.kubernetes.io/control-plane", ""))
                                .tcp(6443));

        assertThat(allowed(denyApi, Packet.tcp(WEB, CONTROL_PLANE, 6443))).isFalse();
        assertThat(allowed(denyApi, Packet.tcp(WEB, EXTERNAL, 6443))).isTrue();
    }

    @Test
    void nodesPeerMatchesOnlyTheSelectedNodes() {
        AdminPolicyBuilder denyCp =
                anp("deny-cp", 1).deny("", r -> r.toNodes(labels("node-role.kubernetes.io/control-plane", "")));

        assertThat(allowed(denyCp, Packet.tcp(WEB, CONTROL_PLANE, 22))).isFalse();
        assertThat(allowed(denyCp, Packet.tcp(WEB, WORKER, 22))).isTrue();
    }

    @Test
    void nodesPeerDoesNotMatchPodIps() {
        AdminPolicyBuilder denyNodes = anp("deny-nodes", 1).deny("", r -> r.toNodes(labels()));

        assertThat(allowed(denyNodes, Packet.tcp(WEB, DB, 5432))).isTrue();
        assertThat(allowed(denyNodes, Packet.tcp(WEB, WORKER, 5432))).isFalse();
    }

    @Test
    void hostNetworkPodNeverMatchesAPodPeerButItsIpMatchesANodesPeer() {
        // kube-system/agent is host-network on cp1: its IP is CONTROL_PLANE.
        AdminPolicyBuilder denyPods = anp("deny-pods", 1).deny("", r -> r.toPods(labels(), labels()));
        AdminPolicyBuilder denyAgent = anp("deny-agent", 1).deny("", r -> r.toPods(labels(), labels("app", "agent")));
        AdminPolicyBuilder denyNodes = anp("deny-nodes", 1).deny("", r -> r.toNodes(labels()));

        assertThat(allowed(denyPods, Packet.tcp(WEB, CONTROL_PLANE, 9100))).isTrue();
        assertThat(allowed(denyAgent, Packet.tcp(WEB, CONTROL_PLANE, 9100))).isTrue();
        assertThat(allowed(denyNodes, Packet.tcp(WEB, CONTROL_PLANE, 9100))).isFalse();
    }

    @Test
    void podsPeerNeedsBothSelectorsToMatchTheDestination() {
        AdminPolicyBuilder denyProdDb =
                anp("deny-prod-db", 1).deny("", r -> r.toPods(labels("env", "prod"), labels("app", "db")));

        assertThat(allowed(denyProdDb, Packet.tcp(CLIENT, DB, 5432))).isFalse();
        assertThat(allowed(denyProdDb, Packet.tcp(CLIENT, WEB, 5432))).isTrue();
    }

    @Test
    void namespacesPeerMatchesEveryPodOfTheNamespace() {
        AdminPolicyBuilder denyProd = anp("deny-prod", 1).deny("", r -> r.toNamespaces(labels("env", "prod")));

        assertThat(allowed(denyProd, Packet.tcp(CLIENT, WEB, 80))).isFalse();
        assertThat(allowed(denyProd, Packet.tcp(CLIENT, DB, 80))).isFalse();
        assertThat(allowed(denyProd, Packet.tcp(WEB, CLIENT, 80))).isTrue();
    }

    @Test
    void ipv6NetworksMatchOnlyIpv6Destinations() {
        AdminPolicyBuilder deny6 = anp("deny-v6", 1).deny("", r -> r.toNetworks("::/0"));

        assertThat(allowed(deny6, Packet.tcp(WEB6, EXTERNAL6, 443))).isFalse();
        assertThat(allowed(deny6, Packet.tcp(WEB6, DB6, 5432))).isFalse();
        assertThat(allowed(deny6, Packet.tcp(WEB, EXTERNAL, 443))).isTrue();
    }

    @Test
    void ipv6PodIpsAreSubjectsAndPodPeers() {
        AdminPolicyBuilder webToDb = anp("web-to-db", 1)
                .subjectPods(labels(), labels("app", "web"))
                .deny("", r -> r.toPods(labels(), labels("app", "db")));

        assertThat(allowed(webToDb, Packet.tcp(WEB6, DB6, 5432))).isFalse();
        assertThat(allowed(webToDb, Packet.tcp(DB6, WEB6, 5432))).isTrue();
    }

    @Test
    void mixedFamilyNetworksMatchEitherFamily() {
        AdminPolicyBuilder deny = anp("deny", 1).deny("", r -> r.toNetworks("203.0.113.0/24", "2001:db8::/32"));

        assertThat(allowed(deny, Packet.tcp(WEB, EXTERNAL, 443))).isFalse();
        assertThat(allowed(deny, Packet.tcp(WEB6, EXTERNAL6, 443))).isFalse();
        assertThat(allowed(deny, Packet.tcp(WEB6, DB6, 443))).isTrue();
    }

    /**
     * docs/semantics.md, "Subjects and peers": the fqdn-allow story. Allow *.internet.example, deny the rest of
     * the internet. Without a resolver state the Allow matches nothing; with one, exactly the addresses
     * the covered names resolved to.
     */
    @Test
    void domainNamesMatchTheAddressesTheirNamesResolvedTo() {
        EffectivePolicies p = policies()
                .admin(anp("fqdn", 1)
                        .allow(
                                "internet-example",
                                r -> r.toDomainNames("*.internet.example").tcp(443))
                        .deny("rest", r -> r.toNetworks("0.0.0.0/0", "::/0")))
                .build();
        Packet https = Packet.tcp(WEB, EXTERNAL, 443);
        assertThat(new Evaluator(Fixture.CLUSTER, p).evaluate(https).allowed())
                .as("nothing resolved: the Allow matches nothing")
                .isFalse();

        ResolverState resolved = ResolverState.EMPTY
                .with("www.internet.example", List.of(EXTERNAL, EXTERNAL6))
                .with("intranet.example", List.of(ip("198.51.100.5")));
        Evaluator e = new Evaluator(Fixture.CLUSTER, p, ServiceVips.NONE, resolved);
        assertThat(e.evaluate(https).allowed()).isTrue();
        assertThat(e.evaluate(https).describe()).contains("internet-example");
        assertThat(e.evaluate(Packet.tcp(WEB6, EXTERNAL6, 443)).allowed()).isTrue();
        assertThat(e.evaluate(Packet.tcp(WEB, EXTERNAL, 80)).allowed())
                .as("another port")
                .isFalse();
        assertThat(e.evaluate(Packet.tcp(WEB, ip("198.51.100.5"), 443)).allowed())
                .as("a name the pattern does not cover")
                .isFalse();
    }
}
