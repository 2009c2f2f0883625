package io.ovsanp.controller.snapshot;

import static io.ovsanp.controller.snapshot.TestInputs.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.LabelSelector.Operator;
import io.ovsanp.compiler.policy.LabelSelector.Requirement;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Valid ANP/BANP input, and values the reader keeps raw for the validator. */
class AdminPolicyReaderTest {
    private static AdminPolicy policy(String name) throws Exception {
        return TestInputs.admin(TestInputs.load("anp/invalid.yaml"), name);
    }

    private static LabelSelector labels(String key, String value) {
        return LabelSelector.of(Map.of(key, value));
    }

    @Test
    void readsEveryPeerAndPortKindOfAValidAdminNetworkPolicy() throws Exception {
        AdminPolicy p = TestInputs.admin(TestInputs.load("cluster/policies/admin.yaml"), "prod-egress");

        assertThat(p.tier()).isEqualTo(Tier.ADMIN);
        assertThat(p.priority()).isEqualTo(10);
        assertThat(p.subject()).isEqualTo(new Subject(labels("env", "prod"), LabelSelector.ALL));
        assertThat(p.ingressRuleCount()).isEqualTo(1);
        assertThat(p.ingress())
                .containsExactly(new Rule(
                        0,
                        "from-monitoring",
                        Action.ALLOW,
                        List.of(new Peer.Namespaces(labels("kubernetes.io/metadata.name", "monitoring"))),
                        List.of()));
        assertThat(p.readProblems()).isEmpty();
        assertThat(p.egress())
                .containsExactly(
                        new Rule(
                                0,
                                "allow-dns",
                                Action.ALLOW,
                                List.of(new Peer.Pods(
                                        labels("kubernetes.io/metadata.name", "kube-system"),
                                        labels("k8s-app", "kube-dns"))),
                                List.of(
                                        new PortMatch.Number(Protocol.UDP, 53),
                                        new PortMatch.Number(Protocol.TCP, 53))),
                        new Rule(
                                1,
                                "deny-apiserver",
                                Action.DENY,
                                List.of(new Peer.Nodes(new LabelSelector(
                                        Map.of(),
                                        List.of(new Requirement(
                                                "node-role.kubernetes.io/control-plane",
                                                Operator.EXISTS,
                                                List.of()))))),
                                List.of(
                                        new PortMatch.Range(Protocol.TCP, 6443, 6444),
                                        new PortMatch.Number(Protocol.TCP, 443))),
                        new Rule(
                                2,
                                "pass-to-dev",
                                Action.PASS,
                                List.of(new Peer.Namespaces(new LabelSelector(
                                        Map.of(),
                                        List.of(new Requirement("env", Operator.IN, List.of("dev", "test")))))),
                                List.of(new PortMatch.Named("http", Optional.empty()))),
                        new Rule(
                                3,
                                "allow-example",
                                Action.ALLOW,
                                List.of(new Peer.DomainNames(List.of("*.example.com"))),
                                List.of()),
                        new Rule(
                                4,
                                "deny-internet",
                                Action.DENY,
                                List.of(new Peer.Networks(List.of("0.0.0.0/0", "::/0"))),
                                List.of()));
    }

    @Test
    void readsATreeFromTheApiServerWithoutAFile() throws Exception {
        var tree = new YAMLMapper()
                .readTree(
                        "metadata: {name: api, uid: u-1}\n"
                                + "spec: {priority: 0, subject: {namespaces: {}}, egress: [{action: Deny, to: [{nodes: {}}]}]}\n");

        AdminPolicy p = AdminPolicyReader.read(tree, Tier.ADMIN, SourceRef.NONE);

        assertThat(p.ref().display()).isEqualTo("AdminNetworkPolicy/api");
        assertThat(p.ref().uid()).isEqualTo("u-1");
        assertThat(p.egress())
                .containsExactly(new Rule(0, "", Action.DENY, List.of(new Peer.Nodes(LabelSelector.ALL)), List.of()));
        assertThat(p.readProblems()).isEmpty();
    }

    @Test
    void valuesOutsideTheApiLimitsAreKeptForTheValidator() throws Exception {
        AdminPolicy p = policy("raw-values-kept");

        assertThat(p.priority()).isEqualTo(5000);
        assertThat(p.egress().get(0).peers()).containsExactly(new Peer.Networks(List.of("not-a-cidr", "10.0.0.1/33")));
        assertThat(p.egress().get(0).ports())
                .containsExactly(
                        new PortMatch.Number(Protocol.UDP, 70000), new PortMatch.Range(Protocol.TCP, 9000, 8000));
        // A protocol the model cannot represent is structural, not a limit.
        assertThat(lines(p.readProblems()))
                .containsExactly("ERROR spec.egress[0].ports[2].portNumber.protocol: unknown protocol \"ICMP\""
                        + " (expected TCP, UDP or SCTP)");
    }

    @Test
    void baselinePolicyIsReadWithPassButWithoutPriorityOrDomainNames() throws Exception {
        AdminPolicy p = TestInputs.admin(TestInputs.load("anp/baseline.yaml"), "default");

        assertThat(p.tier()).isEqualTo(Tier.BASELINE);
        assertThat(p.ref().kind()).isEqualTo("BaselineAdminNetworkPolicy");
        assertThat(p.priority()).isZero();
        assertThat(p.subject()).isEqualTo(new Subject(labels("env", "prod"), LabelSelector.ALL));
        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.priority: unknown field (expected one of subject, ingress, egress)",
                        "ERROR spec.egress[1].to[0].domainNames: unknown field"
                                + " (expected one of namespaces, pods, nodes, networks)");
        assertThat(p.egress())
                .containsExactly(
                        new Rule(
                                0,
                                "pass-is-read",
                                Action.PASS,
                                List.of(new Peer.Namespaces(LabelSelector.ALL)),
                                List.of()),
                        new Rule(
                                1,
                                "fqdn-is-anp-only",
                                Action.ALLOW,
                                List.of(new Peer.Unsupported("unknown peer field")),
                                List.of()),
                        new Rule(
                                2,
                                "deny-rest",
                                Action.DENY,
                                List.of(new Peer.Nodes(LabelSelector.ALL), new Peer.Networks(List.of("0.0.0.0/0"))),
                                List.of(new PortMatch.Range(Protocol.UDP, 1, 1024))));
    }

    private static AdminPolicy read(Tier tier, String yaml) {
        return AdminPolicyReader.read(new YAMLMapper().readTree(yaml), tier, SourceRef.NONE);
    }

    private static final String ANP = "metadata: {name: a}\nspec:\n  priority: 3\n  subject: {namespaces: {}}\n";
    private static final String BANP = "metadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n";

    @Test
    void readsIngressRulesWithTheirSourcesAndPorts() {
        AdminPolicy p = read(Tier.ADMIN, ANP + """
                  ingress:
                  - name: from-monitoring
                    action: Allow
                    from:
                    - namespaces: {matchLabels: {team: monitoring}}
                    - pods:
                        namespaceSelector: {matchLabels: {env: prod}}
                        podSelector: {matchLabels: {app: scraper}}
                    ports:
                    - portNumber: {protocol: TCP, port: 9090}
                    - portRange: {protocol: UDP, start: 5000, end: 5010}
                    - namedPort: metrics
                  - name: pass-dev
                    action: Pass
                    from: [{namespaces: {matchLabels: {env: dev}}}]
                  - action: Deny
                    from: [{namespaces: {}}]
                  egress:
                  - action: Deny
                    to: [{networks: [0.0.0.0/0]}]
                """);

        assertThat(p.readProblems()).isEmpty();
        assertThat(p.ingressRuleCount()).isEqualTo(3);
        assertThat(p.ingress())
                .containsExactly(
                        new Rule(
                                0,
                                "from-monitoring",
                                Action.ALLOW,
                                List.of(
                                        new Peer.Namespaces(labels("team", "monitoring")),
                                        new Peer.Pods(labels("env", "prod"), labels("app", "scraper"))),
                                List.of(
                                        new PortMatch.Number(Protocol.TCP, 9090),
                                        new PortMatch.Range(Protocol.UDP, 5000, 5010),
                                        new PortMatch.Named("metrics", Optional.empty()))),
                        new Rule(
                                1,
                                "pass-dev",
                                Action.PASS,
                                List.of(new Peer.Namespaces(labels("env", "dev"))),
                                List.of()),
                        new Rule(2, "", Action.DENY, List.of(new Peer.Namespaces(LabelSelector.ALL)), List.of()));
        assertThat(p.egress())
                .as("egress is read beside ingress")
                .containsExactly(
                        new Rule(0, "", Action.DENY, List.of(new Peer.Networks(List.of("0.0.0.0/0"))), List.of()));
    }

    @Test
    void baselineIngressRulesAreReadLikeAdminOnes() {
        AdminPolicy p = read(Tier.BASELINE, BANP + """
                  ingress:
                  - name: allow-same-team
                    action: Allow
                    from: [{pods: {namespaceSelector: {matchLabels: {team: a}}, podSelector: {}}}]
                    ports: [{portNumber: {port: 8080}}]
                  - name: deny-rest
                    action: Deny
                    from: [{namespaces: {}}]
                """);

        assertThat(p.tier()).isEqualTo(Tier.BASELINE);
        assertThat(p.readProblems()).isEmpty();
        assertThat(p.egress()).isEmpty();
        assertThat(p.ingress())
                .containsExactly(
                        new Rule(
                                0,
                                "allow-same-team",
                                Action.ALLOW,
                                List.of(new Peer.Pods(labels("team", "a"), LabelSelector.ALL)),
                                List.of(new PortMatch.Number(Protocol.TCP, 8080))),
                        new Rule(
                                1,
                                "deny-rest",
                                Action.DENY,
                                List.of(new Peer.Namespaces(LabelSelector.ALL)),
                                List.of()));
    }

    @Test
    void egressOnlyPeerKindsAreUnknownFieldsInAnIngressPeer() {
        AdminPolicy anp = read(Tier.ADMIN, ANP + """
                  ingress:
                  - action: Deny
                    from:
                    - networks: [10.0.0.0/8]
                    - nodes: {}
                    - domainNames: [example.com]
                    - namespaces: {}
                  - action: Allow
                    from: [{namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}]
                """);
        AdminPolicy banp = read(Tier.BASELINE, BANP + "  ingress: [{action: Allow, from: [{networks: [\"::/0\"]}]}]\n");

        String known = " unknown field (expected one of namespaces, pods)";
        assertThat(lines(anp.readProblems()))
                .containsExactly(
                        "ERROR spec.ingress[0].from[0].networks:" + known,
                        "ERROR spec.ingress[0].from[1].nodes:" + known,
                        "ERROR spec.ingress[0].from[2].domainNames:" + known,
                        "ERROR spec.ingress[1].from[0]: exactly one of namespaces, pods must be set, found namespaces"
                                + " and pods");
        assertThat(anp.ingress().get(0).peers())
                .containsExactly(
                        new Peer.Unsupported("unknown peer field"),
                        new Peer.Unsupported("unknown peer field"),
                        new Peer.Unsupported("unknown peer field"),
                        new Peer.Namespaces(LabelSelector.ALL));
        assertThat(anp.ingress().get(1).peers())
                .containsExactly(new Peer.Unsupported("several peer fields set: namespaces, pods"));
        assertThat(lines(banp.readProblems())).containsExactly("ERROR spec.ingress[0].from[0].networks:" + known);
        assertThat(banp.ingress().get(0).peers()).containsExactly(new Peer.Unsupported("unknown peer field"));
    }

    @Test
    void anIngressRuleUsesFromNotToAndEveryEntryKeepsItsIndex() {
        AdminPolicy p = read(Tier.ADMIN, ANP + """
                  ingress:
                  - action: Allow
                    to: [{namespaces: {}}]
                  - just-a-string
                  - action: Permit
                    from: []
                    ports: []
                """);

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.ingress[0].to: unknown field (expected one of name, action, from, ports)",
                        "ERROR spec.ingress[0].from: missing required field",
                        "ERROR spec.ingress[1]: expected an object, got \"just-a-string\"",
                        "ERROR spec.ingress[2].action: unknown action \"Permit\" (expected Allow, Deny or Pass)",
                        "ERROR spec.ingress[2].from: must list at least one peer",
                        "ERROR spec.ingress[2].ports: must list at least one port when present");
        assertThat(p.ingress()).extracting(Rule::index).containsExactly(0, 1, 2);
        assertThat(p.ingress())
                .extracting(Rule::action)
                .as("an unreadable action reads as Deny")
                .containsExactly(Action.ALLOW, Action.DENY, Action.DENY);
    }

    @Test
    void anIngressFieldThatIsNotAListIsAnErrorAtSpecIngress() {
        AdminPolicy p = read(Tier.ADMIN, ANP + "  ingress: everyone\n  egress: [{action: Deny, to: [{nodes: {}}]}]\n");

        assertThat(lines(p.readProblems())).containsExactly("ERROR spec.ingress: expected a list, got \"everyone\"");
        assertThat(p.ingress()).isEmpty();
        assertThat(p.egress()).hasSize(1);
    }

    @Test
    void theAuditAnnotationOptsInOnlyWhenTrue() {
        String spec = "spec:\n  priority: 3\n  subject: {namespaces: {}}\n";
        assertThat(read(Tier.ADMIN, "metadata: {name: a, annotations: {ovs-anp.io/log: \"true\"}}\n" + spec)
                        .audited())
                .isTrue();
        assertThat(read(Tier.ADMIN, "metadata: {name: a, annotations: {ovs-anp.io/log: \"True\"}}\n" + spec)
                        .audited())
                .isTrue();
        assertThat(read(Tier.ADMIN, "metadata: {name: a, annotations: {ovs-anp.io/log: \"yes\"}}\n" + spec)
                        .audited())
                .isFalse();
        assertThat(read(Tier.ADMIN, "metadata: {name: a, annotations: {ovs-anp.io/log: true}}\n" + spec)
                        .audited())
                .as("a YAML boolean is not a Kubernetes annotation value")
                .isFalse();
        assertThat(read(Tier.ADMIN, ANP).audited()).isFalse();
        assertThat(read(
                                Tier.BASELINE,
                                "metadata: {name: default, annotations: {ovs-anp.io/log: \"true\"}}\n"
                                        + "spec:\n  subject: {namespaces: {}}\n")
                        .audited())
                .isTrue();
    }
}
