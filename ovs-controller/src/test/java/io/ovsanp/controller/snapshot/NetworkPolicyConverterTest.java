package io.ovsanp.controller.snapshot;

import static io.ovsanp.controller.snapshot.TestInputs.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.NetworkPolicy;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetworkPolicyConverterTest {
    private static ClusterSnapshot snapshot;

    @BeforeAll
    static void load() throws Exception {
        snapshot = TestInputs.load("objects/netpols.yaml", "cluster/policies/netpol.yaml");
    }

    private static NetworkPolicy policy(String name) {
        return TestInputs.networkPolicy(snapshot, name);
    }

    private static LabelSelector labels(String key, String value) {
        return LabelSelector.of(Map.of(key, value));
    }

    @Test
    void egressRulesWithoutPolicyTypesIsolateEgress() {
        NetworkPolicy p = policy("egress-rules-no-types");

        assertThat(p.isolatesEgress()).isTrue();
        assertThat(p.egress())
                .containsExactly(
                        new Rule(0, "", Action.ALLOW, List.of(new Peer.IpBlock("0.0.0.0/0", List.of())), List.of()));
    }

    @Test
    void noPolicyTypesAndNoEgressRulesLeavesEgressAlone() {
        assertThat(policy("ingress-only-no-types").isolatesEgress()).isFalse();
    }

    @Test
    void withoutPolicyTypesEveryPolicyIsolatesIngressEvenWithOnlyEgressRules() {
        NetworkPolicy egressOnly = policy("egress-rules-no-types");
        NetworkPolicy ingressOnly = policy("ingress-only-no-types");

        assertThat(egressOnly.isolatesIngress()).isTrue();
        assertThat(egressOnly.ingress()).as("isolated, and nothing allowed in").isEmpty();
        assertThat(ingressOnly.isolatesIngress()).isTrue();
        assertThat(ingressOnly.ingress())
                .as("an ingress rule without from or ports allows every source on every port")
                .containsExactly(new Rule(0, "", Action.ALLOW, List.of(), List.of()));
    }

    @Test
    void policyTypesWithoutIngressLeaveIngressAlone() {
        assertThat(policy("deny-all-egress").isolatesIngress()).isFalse();
        NetworkPolicy p = policy("types-egress-with-ingress-rules");
        assertThat(p.isolatesIngress()).isFalse();
        assertThat(p.isolatesEgress()).isTrue();
    }

    @Test
    void policyTypesIngressWithoutRulesIsolatesAndAllowsNothing() {
        for (String name : List.of("types-ingress-with-egress-rules", "deny-all-ingress-empty-list")) {
            NetworkPolicy p = policy(name);
            assertThat(p.isolatesIngress()).as(name).isTrue();
            assertThat(p.ingress()).as(name).isEmpty();
            assertThat(p.readProblems()).as(name).isEmpty();
        }
    }

    @Test
    void ingressSourcesMapLikeEgressDestinationsIpBlockExceptIncluded() {
        NetworkPolicy p = policy("db-ingress");

        assertThat(p.readProblems()).isEmpty();
        assertThat(p.isolatesIngress()).isTrue();
        assertThat(p.isolatesEgress()).isFalse();
        assertThat(p.egress()).isEmpty();
        assertThat(p.ingress())
                .containsExactly(
                        new Rule(
                                0,
                                "",
                                Action.ALLOW,
                                List.of(
                                        new Peer.Pods(
                                                labels("kubernetes.io/metadata.name", "prod"), labels("app", "web")),
                                        new Peer.Namespaces(labels("env", "dev")),
                                        new Peer.Pods(labels("env", "dev"), labels("app", "admin")),
                                        new Peer.IpBlock("10.0.0.0/8", List.of("10.0.1.0/24", "10.0.2.0/24"))),
                                List.of(
                                        new PortMatch.Number(Protocol.TCP, 5432),
                                        new PortMatch.Named("metrics", Optional.of(Protocol.UDP)),
                                        new PortMatch.Range(Protocol.TCP, 30000, 32767),
                                        new PortMatch.AnyPort(Protocol.SCTP))),
                        // no from: every source, on the listed port
                        new Rule(1, "", Action.ALLOW, List.of(), List.of(new PortMatch.Number(Protocol.TCP, 8080))),
                        // from: [] is the same as no from
                        new Rule(2, "", Action.ALLOW, List.of(), List.of()));
    }

    @Test
    void ingressProblemsAreErrorsAtTheirIngressPaths() {
        NetworkPolicy p = policy("ingress-typos");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.ingress[0].to: unknown field",
                        "ERROR spec.ingress[0].from[0].ipBlock.exept: unknown field",
                        "ERROR spec.ingress[0].from[1]: one of podSelector, namespaceSelector or ipBlock must be set",
                        "ERROR spec.ingress[0].from[2]: ipBlock cannot be combined with podSelector or"
                                + " namespaceSelector",
                        "ERROR spec.ingress[0].ports[0].endPort: endPort needs a numeric port");
        assertThat(p.ingress().get(0).peers())
                .containsExactly(
                        new Peer.Unsupported("invalid ipBlock"),
                        new Peer.Unsupported("invalid NetworkPolicy peer"),
                        new Peer.Unsupported("invalid NetworkPolicy peer"));
        assertThat(p.ingress().get(0).ports()).isEmpty();
    }

    @Test
    void policyTypesEgressWithoutRulesIsolatesAndAllowsNothing() {
        NetworkPolicy p = policy("deny-all-egress");

        assertThat(p.isolatesEgress()).isTrue();
        assertThat(p.egress()).isEmpty();
    }

    @Test
    void policyTypesWithoutEgressIgnoreEgressRules() {
        assertThat(policy("types-ingress-with-egress-rules").isolatesEgress()).isFalse();
    }

    @Test
    void ruleWithoutToOrPortsMatchesEveryDestinationAndPort() {
        NetworkPolicy p = policy("web-egress");

        assertThat(p.egress().get(1)).isEqualTo(new Rule(1, "", Action.ALLOW, List.of(), List.of()));
    }

    @Test
    void peersMapToPodsInTheOwnNamespaceNamespacesPodsAndIpBlocks() {
        NetworkPolicy p = policy("web-egress");

        assertThat(p.namespace()).isEqualTo("prod");
        assertThat(p.podSelector()).isEqualTo(labels("app", "web"));
        assertThat(p.isolatesEgress()).isTrue();
        assertThat(p.readProblems()).isEmpty();
        assertThat(p.egress().get(0).peers())
                .containsExactly(
                        new Peer.Pods(labels("kubernetes.io/metadata.name", "prod"), labels("app", "db")),
                        new Peer.Namespaces(labels("env", "dev")),
                        new Peer.Pods(labels("env", "dev"), labels("app", "db")),
                        new Peer.IpBlock("10.0.0.0/8", List.of("10.0.1.0/24")));
    }

    @Test
    void portsMapToNumberNamedPortWithItsProtocolRangeAndProtocolOnly() {
        NetworkPolicy p = policy("web-egress");

        assertThat(p.egress().get(0).ports())
                .containsExactly(
                        new PortMatch.Number(Protocol.TCP, 5432),
                        new PortMatch.Named("http", Optional.of(Protocol.UDP)),
                        new PortMatch.Range(Protocol.TCP, 30000, 32767),
                        new PortMatch.AnyPort(Protocol.SCTP));
    }

    @Test
    void unknownFieldsAndInvalidPeersAndPortsAreErrorsAtTheirPaths() {
        NetworkPolicy p = policy("typos");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.podSelector.matchLabel: unknown field",
                        "ERROR spec.egress[0].port: unknown field",
                        "ERROR spec.egress[0].to[0].ipBlock.exept: unknown field",
                        "ERROR spec.egress[0].to[1]: one of podSelector, namespaceSelector or ipBlock must be set",
                        "ERROR spec.egress[0].to[2]: ipBlock cannot be combined with podSelector or namespaceSelector",
                        "ERROR spec.egress[0].to[3].namespaceSelector.matchExpressions[0].values: operator Exists takes"
                                + " no values",
                        "ERROR spec.egress[0].ports[0].endPort: endPort needs a numeric port",
                        "ERROR spec.egress[0].ports[1].protocol: unknown protocol \"ICMP\" (expected TCP, UDP or SCTP)");
        // An unreadable podSelector selects every pod of the namespace: more isolation, never less.
        assertThat(p.podSelector()).isEqualTo(LabelSelector.ALL);
        assertThat(p.egress().get(0).peers())
                .containsExactly(
                        new Peer.Unsupported("invalid ipBlock"),
                        new Peer.Unsupported("invalid NetworkPolicy peer"),
                        new Peer.Unsupported("invalid NetworkPolicy peer"),
                        new Peer.Unsupported("invalid selector"));
        assertThat(p.egress().get(0).ports()).isEmpty();
    }
}
