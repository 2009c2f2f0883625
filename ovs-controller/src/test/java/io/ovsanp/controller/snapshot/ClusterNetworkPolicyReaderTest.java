package io.ovsanp.controller.snapshot;

import static io.ovsanp.controller.snapshot.TestInputs.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.LabelSelector;
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

/** v1alpha2 ClusterNetworkPolicy, field by field and every way it can be unreadable. */
class ClusterNetworkPolicyReaderTest {
    private static final SourceRef SOURCE = SourceRef.of("cnp.yaml", 3);
    private static final String HEAD = "apiVersion: policy.networking.k8s.io/v1alpha2\n"
            + "kind: ClusterNetworkPolicy\nmetadata: {name: x, uid: u1}\n";

    private static AdminPolicy read(String yaml) {
        return ClusterNetworkPolicyReader.read(new YAMLMapper().readTree(yaml), SOURCE);
    }

    /** A policy whose spec is {@code tier: Admin, priority: 7, subject: {namespaces: {}}} plus {@code spec}. */
    private static AdminPolicy withSpec(String spec) {
        return read(HEAD + "spec:\n  tier: Admin\n  priority: 7\n  subject: {namespaces: {}}\n" + spec);
    }

    private static AdminPolicy withEgress(String rule) {
        return withSpec("  egress:\n  - " + rule + "\n");
    }

    private static LabelSelector labels(String key, String value) {
        return LabelSelector.of(Map.of(key, value));
    }

    @Test
    void readsEveryFieldOfAValidPolicy() {
        AdminPolicy p = read(HEAD + """
                spec:
                  tier: Baseline
                  priority: 12
                  subject:
                    pods:
                      namespaceSelector: {matchLabels: {env: prod}}
                      podSelector: {matchLabels: {app: web}}
                  ingress:
                  - {action: Accept, from: [{namespaces: {}}]}
                  - {action: Deny, from: [{namespaces: {}}]}
                  egress:
                  - name: dns
                    action: Accept
                    to:
                    - pods: {podSelector: {matchLabels: {k8s-app: kube-dns}}}
                    - namespaces: {matchLabels: {env: infra}}
                    protocols:
                    - udp: {destinationPort: {number: 53}}
                    - tcp: {destinationPort: {range: {start: 8000, end: 8080}}}
                    - sctp: {destinationPort: {number: 9}}
                  - name: apiserver
                    action: Deny
                    to:
                    - nodes: {matchLabels: {role: cp}}
                    - networks: [10.0.0.0/8, "fd00::/8"]
                  - action: Pass
                    to: [{domainNames: [example.com]}]
                  - action: Accept
                    to: [{pods: {namespaceSelector: {}, podSelector: {}}}]
                    protocols: [{destinationNamedPort: http}]
                """);

        assertThat(p.readProblems()).isEmpty();
        assertThat(p.ref()).isEqualTo(new ObjectRef("ClusterNetworkPolicy", "", "x", "u1", SOURCE));
        assertThat(p.isClusterNetworkPolicy()).isTrue();
        assertThat(p.tier()).isEqualTo(Tier.BASELINE);
        assertThat(p.priority()).isEqualTo(12);
        assertThat(p.subject()).isEqualTo(new Subject(labels("env", "prod"), labels("app", "web")));
        assertThat(p.ingressRuleCount()).isEqualTo(2);
        assertThat(p.ingress())
                .containsExactly(
                        new Rule(0, "", Action.ALLOW, List.of(new Peer.Namespaces(LabelSelector.ALL)), List.of()),
                        new Rule(1, "", Action.DENY, List.of(new Peer.Namespaces(LabelSelector.ALL)), List.of()));
        assertThat(p.egress())
                .containsExactly(
                        new Rule(
                                0,
                                "dns",
                                Action.ALLOW,
                                List.of(
                                        new Peer.Pods(LabelSelector.ALL, labels("k8s-app", "kube-dns")),
                                        new Peer.Namespaces(labels("env", "infra"))),
                                List.of(
                                        new PortMatch.Number(Protocol.UDP, 53),
                                        new PortMatch.Range(Protocol.TCP, 8000, 8080),
                                        new PortMatch.Number(Protocol.SCTP, 9))),
                        new Rule(
                                1,
                                "apiserver",
                                Action.DENY,
                                List.of(
                                        new Peer.Nodes(labels("role", "cp")),
                                        new Peer.Networks(List.of("10.0.0.0/8", "fd00::/8"))),
                                List.of()),
                        new Rule(2, "", Action.PASS, List.of(new Peer.DomainNames(List.of("example.com"))), List.of()),
                        new Rule(
                                3,
                                "",
                                Action.ALLOW,
                                List.of(new Peer.Pods(LabelSelector.ALL, LabelSelector.ALL)),
                                List.of(new PortMatch.Named("http", Optional.empty()))));
    }

    @Test
    void aSubjectOfPodsWithoutNamespaceSelectorSelectsTheirPodsInEveryNamespace() {
        AdminPolicy p = read(HEAD + "spec: {tier: Admin, priority: 0, subject: {pods: {podSelector: {}}}}");

        assertThat(p.readProblems()).isEmpty();
        assertThat(p.subject()).isEqualTo(Subject.ALL);
        assertThat(p.egress()).isEmpty();
    }

    @Test
    void aMissingOrUnknownTierIsAnErrorAndThePolicyGoesToTheAdminTierAtPriorityZero() {
        AdminPolicy unknown = read(HEAD + "spec: {tier: Middle, priority: 9, subject: {namespaces: {}}}");
        AdminPolicy missing = read(HEAD + "spec: {priority: 9, subject: {namespaces: {}}}");
        AdminPolicy wrongType = read(HEAD + "spec: {tier: [Admin], priority: 9, subject: {namespaces: {}}}");

        for (AdminPolicy p : List.of(unknown, missing, wrongType)) {
            assertThat(p.tier()).isEqualTo(Tier.ADMIN);
            assertThat(p.priority()).isZero();
        }
        String fallback = "; the policy is realised fail-closed in the Admin tier, ordered first";
        assertThat(lines(unknown.readProblems()))
                .containsExactly("ERROR spec.tier: unknown tier \"Middle\" (expected Admin or Baseline)" + fallback);
        assertThat(lines(missing.readProblems()))
                .containsExactly("ERROR spec.tier: missing required field (Admin or Baseline)" + fallback);
        assertThat(lines(wrongType.readProblems()))
                .containsExactly("ERROR spec.tier: expected Admin or Baseline, got a list" + fallback);
    }

    @Test
    void unknownFieldsAreErrorsAtEveryLevel() {
        AdminPolicy p = read(HEAD + """
                spec:
                  tier: Admin
                  priority: 1
                  ports: []
                  subject: {namespaces: {}}
                  egress:
                  - action: Deny
                    to: [{networks: [0.0.0.0/0]}]
                    ports: [{portNumber: {port: 80}}]
                  - action: Deny
                    to: [{networks: [0.0.0.0/0]}]
                    protocols: [{tcp: {destinationPort: {number: 80}, flags: {syn: true}}}]
                  - action: Deny
                    to: [{services: [kube-dns]}]
                """);

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.ports: unknown field (expected one of tier, priority, subject, ingress, egress)",
                        "ERROR spec.egress[0].ports: unknown field (expected one of name, action, to, protocols)",
                        "ERROR spec.egress[1].protocols[0].tcp.flags: unknown field (expected one of destinationPort)",
                        "ERROR spec.egress[2].to[0].services: unknown field (expected one of namespaces, pods, nodes,"
                                + " networks, domainNames)");
        assertThat(p.egress().get(2).peers()).singleElement().isInstanceOf(Peer.Unsupported.class);
        assertThat(p.egress().get(1).ports())
                .as("an unreadable protocol is left out")
                .isEmpty();
    }

    @Test
    void protocolEntriesMustSetExactlyOneFieldAndADestinationPort() {
        AdminPolicy p = withEgress("""
                action: Accept
                    to: [{namespaces: {}}]
                    protocols:
                    - tcp: {}
                    - {tcp: {destinationPort: {number: 1}}, udp: {destinationPort: {number: 1}}}
                    - {}
                    - udp: {destinationPort: {number: 1, range: {start: 1, end: 2}}}
                    - sctp: {destinationPort: {range: {start: 1}}}
                    - tcp: {destinationPort: {number: http}}
                    - destinationNamedPort: 80
                    - icmp: {}
                """);

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.egress[0].protocols[0].tcp.destinationPort: missing required field (tcp must set"
                                + " destinationPort)",
                        "ERROR spec.egress[0].protocols[1]: exactly one of tcp, udp, sctp, destinationNamedPort must be"
                                + " set, found tcp and udp",
                        "ERROR spec.egress[0].protocols[2]: exactly one of tcp, udp, sctp, destinationNamedPort must be"
                                + " set, found none",
                        "ERROR spec.egress[0].protocols[3].udp.destinationPort: exactly one of number, range must be"
                                + " set, found number and range",
                        "ERROR spec.egress[0].protocols[4].sctp.destinationPort.range.end: missing required field",
                        "ERROR spec.egress[0].protocols[5].tcp.destinationPort.number: expected an integer, got"
                                + " \"http\"",
                        "ERROR spec.egress[0].protocols[6].destinationNamedPort: expected a string, got 80",
                        "ERROR spec.egress[0].protocols[7].icmp: unknown field (expected one of tcp, udp, sctp,"
                                + " destinationNamedPort)");
        assertThat(p.egress().get(0).ports()).isEmpty();
    }

    @Test
    void actionsAreTheV1alpha2Names() {
        AdminPolicy allow = withEgress("{action: Allow, to: [{namespaces: {}}]}");

        assertThat(lines(allow.readProblems()))
                .containsExactly(
                        "ERROR spec.egress[0].action: unknown action \"Allow\" (expected Accept, Deny or Pass)");
        assertThat(allow.egress().get(0).action())
                .as("unreadable action reads as Deny")
                .isEqualTo(Action.DENY);
        assertThat(withEgress("{action: Accept, to: [{namespaces: {}}]}")
                        .egress()
                        .get(0)
                        .action())
                .isEqualTo(Action.ALLOW);
    }

    @Test
    void emptyToAndProtocolsListsAreErrors() {
        AdminPolicy p = withEgress("{action: Deny, to: [], protocols: []}");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.egress[0].to: must list at least one peer",
                        "ERROR spec.egress[0].protocols: must list at least one protocol when present");
    }

    @Test
    void aMissingSpecOrSubjectAndAWrongPriorityAreErrors() {
        assertThat(lines(read(HEAD).readProblems())).containsExactly("ERROR spec: missing required field");
        AdminPolicy p = read(HEAD + "spec: {tier: Admin, priority: high, ingress: {}}");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.priority: expected an integer, got \"high\"",
                        "ERROR spec.subject: missing required field",
                        "ERROR spec.ingress: expected a list, got an object");
        assertThat(p.subject()).isEqualTo(Subject.ALL);
        assertThat(p.priority()).isZero();
    }

    private static AdminPolicy withIngress(String rule) {
        return withSpec("  ingress:\n  - " + rule + "\n");
    }

    @Test
    void readsIngressRulesWithEveryActionAndProtocolKind() {
        AdminPolicy p = withSpec("""
                  ingress:
                  - name: scrape
                    action: Accept
                    from:
                    - namespaces: {matchLabels: {team: monitoring}}
                    - pods: {podSelector: {matchLabels: {app: prometheus}}}
                    protocols:
                    - tcp: {destinationPort: {number: 9090}}
                    - udp: {destinationPort: {range: {start: 5000, end: 5010}}}
                    - sctp: {destinationPort: {number: 9}}
                    - destinationNamedPort: metrics
                  - name: to-the-tenant
                    action: Pass
                    from: [{pods: {namespaceSelector: {matchLabels: {env: dev}}, podSelector: {}}}]
                  - name: rest
                    action: Deny
                    from: [{namespaces: {}}]
                """);

        assertThat(p.readProblems()).isEmpty();
        assertThat(p.egress()).isEmpty();
        assertThat(p.ingress())
                .containsExactly(
                        new Rule(
                                0,
                                "scrape",
                                Action.ALLOW,
                                List.of(
                                        new Peer.Namespaces(labels("team", "monitoring")),
                                        // v1alpha2: a left-out namespaceSelector selects every namespace
                                        new Peer.Pods(LabelSelector.ALL, labels("app", "prometheus"))),
                                List.of(
                                        new PortMatch.Number(Protocol.TCP, 9090),
                                        new PortMatch.Range(Protocol.UDP, 5000, 5010),
                                        new PortMatch.Number(Protocol.SCTP, 9),
                                        new PortMatch.Named("metrics", Optional.empty()))),
                        new Rule(
                                1,
                                "to-the-tenant",
                                Action.PASS,
                                List.of(new Peer.Pods(labels("env", "dev"), LabelSelector.ALL)),
                                List.of()),
                        new Rule(2, "rest", Action.DENY, List.of(new Peer.Namespaces(LabelSelector.ALL)), List.of()));
    }

    @Test
    void ingressPeersAreNamespacesOrPodsOnlyAndIngressRulesUseFromAndProtocols() {
        AdminPolicy p = withSpec("""
                  ingress:
                  - action: Deny
                    from:
                    - networks: [0.0.0.0/0]
                    - nodes: {}
                    - domainNames: [example.com]
                  - action: Allow
                    to: [{namespaces: {}}]
                    ports: [{portNumber: {port: 80}}]
                  - action: Accept
                    from: []
                    protocols: [{tcp: {}}]
                """);

        String known = " unknown field (expected one of namespaces, pods)";
        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.ingress[0].from[0].networks:" + known,
                        "ERROR spec.ingress[0].from[1].nodes:" + known,
                        "ERROR spec.ingress[0].from[2].domainNames:" + known,
                        "ERROR spec.ingress[1].to: unknown field (expected one of name, action, from, protocols)",
                        "ERROR spec.ingress[1].ports: unknown field (expected one of name, action, from, protocols)",
                        "ERROR spec.ingress[1].action: unknown action \"Allow\" (expected Accept, Deny or Pass)",
                        "ERROR spec.ingress[1].from: missing required field",
                        "ERROR spec.ingress[2].from: must list at least one peer",
                        "ERROR spec.ingress[2].protocols[0].tcp.destinationPort: missing required field (tcp must set"
                                + " destinationPort)");
        assertThat(p.ingress().get(0).peers()).allMatch(peer -> peer instanceof Peer.Unsupported);
        assertThat(p.ingress()).extracting(Rule::index).containsExactly(0, 1, 2);
        assertThat(p.ingress().get(1).action()).isEqualTo(Action.DENY);
    }

    @Test
    void anIngressFieldThatIsNotAListIsAnErrorAtSpecIngress() {
        AdminPolicy p = withSpec("  ingress: {action: Deny, from: [{namespaces: {}}]}\n");

        assertThat(lines(p.readProblems())).containsExactly("ERROR spec.ingress: expected a list, got an object");
        assertThat(p.ingress()).isEmpty();
        assertThat(withIngress("{action: Accept, from: [{namespaces: {}}]}").ingress())
                .containsExactly(
                        new Rule(0, "", Action.ALLOW, List.of(new Peer.Namespaces(LabelSelector.ALL)), List.of()));
    }

    @Test
    void theAuditAnnotationOptsAClusterNetworkPolicyIn() {
        String spec = "spec:\n  tier: Admin\n  priority: 7\n  subject: {namespaces: {}}\n";
        assertThat(read(HEAD + spec).audited()).isFalse();
        assertThat(read("apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n"
                                + "metadata: {name: x, annotations: {ovs-anp.io/log: \"true\"}}\n" + spec)
                        .audited())
                .isTrue();
    }
}
