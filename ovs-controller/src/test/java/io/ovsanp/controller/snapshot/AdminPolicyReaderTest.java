package io.ovsanp.controller.snapshot;

import static io.ovsanp.controller.snapshot.TestInputs.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

class AdminPolicyReaderTest {
    private static final String PEERS = "(expected one of namespaces, pods, nodes, networks, domainNames)";

    private static ClusterSnapshot invalid;

    @BeforeAll
    static void loadInvalidPolicies() throws Exception {
        invalid = TestInputs.load("anp/invalid.yaml");
    }

    private static AdminPolicy policy(String name) {
        return TestInputs.admin(invalid, name);
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
    void unknownFieldInSpecIsAnErrorAtItsPath() {
        AdminPolicy p = policy("unknown-spec-field");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.egres: unknown field (expected one of priority, subject, ingress, egress)");
        assertThat(p.egress()).isEmpty();
    }

    @Test
    void unknownFieldInRuleIsAnErrorAtItsPathAndTheRuleKeepsItsIndex() {
        AdminPolicy p = policy("unknown-rule-field");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.egress[1].too: unknown field (expected one of name, action, to, ports)",
                        "ERROR spec.egress[1].to: missing required field");
        assertThat(p.egress()).extracting(Rule::index).containsExactly(0, 1);
        assertThat(p.egress().get(1)).isEqualTo(new Rule(1, "", Action.DENY, List.of(), List.of()));
    }

    @Test
    void unknownFieldInPeerMakesThePeerUnsupported() {
        AdminPolicy p = policy("unknown-peer-field");

        assertThat(lines(p.readProblems())).containsExactly("ERROR spec.egress[0].to[1].cidrs: unknown field " + PEERS);
        assertThat(p.egress().get(0).peers())
                .containsExactly(new Peer.Namespaces(LabelSelector.ALL), new Peer.Unsupported("unknown peer field"));
    }

    @Test
    void unknownFieldInPortIsAnErrorAtItsPathAndTheEntryIsLeftOut() {
        AdminPolicy p = policy("unknown-port-field");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.egress[0].ports[0].portNumber.portt: unknown field (expected one of protocol, port)",
                        "ERROR spec.egress[0].ports[0].portNumber.port: missing required field");
        assertThat(p.egress().get(0).ports()).containsExactly(new PortMatch.Number(Protocol.TCP, 443));
    }

    @Test
    void peerWithTwoFieldsIsUnsupported() {
        AdminPolicy p = policy("peer-two-fields");

        assertThat(lines(p.readProblems()))
                .containsExactly("ERROR spec.egress[0].to[0]: exactly one of namespaces, pods, nodes, networks,"
                        + " domainNames must be set, found namespaces and networks");
        assertThat(p.egress().get(0).peers())
                .containsExactly(new Peer.Unsupported("several peer fields set: namespaces, networks"));
    }

    @Test
    void peerWithNoFieldIsUnsupported() {
        AdminPolicy p = policy("peer-no-field");

        assertThat(lines(p.readProblems()))
                .containsExactly("ERROR spec.egress[0].to[0]: exactly one of namespaces, pods, nodes, networks,"
                        + " domainNames must be set, found none");
        assertThat(p.egress().get(0).peers()).containsExactly(new Peer.Unsupported("no peer field set"));
        assertThat(p.egress().get(0).action()).isEqualTo(Action.DENY);
    }

    @Test
    void subjectWithBothFieldsReadsAsAllWithAnError() {
        AdminPolicy p = policy("subject-both");

        assertThat(lines(p.readProblems()))
                .containsExactly("ERROR spec.subject: exactly one of namespaces or pods must be set, found both");
        assertThat(p.subject()).isEqualTo(Subject.ALL);
    }

    @Test
    void subjectWithNeitherFieldReadsAsAllWithAnError() {
        AdminPolicy p = policy("subject-neither");

        assertThat(lines(p.readProblems()))
                .containsExactly("ERROR spec.subject: exactly one of namespaces or pods must be set, found neither");
        assertThat(p.subject()).isEqualTo(Subject.ALL);
    }

    @Test
    void badSelectorOperatorsAreErrorsAtTheirPaths() {
        AdminPolicy p = policy("bad-operators");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.subject.namespaces.matchExpressions[0].operator: unknown operator \"Equals\""
                                + " (expected In, NotIn, Exists or DoesNotExist)",
                        "ERROR spec.egress[0].to[0].namespaces.matchExpressions[0].values: operator In needs at least"
                                + " one value",
                        "ERROR spec.egress[0].to[1].nodes.matchExpressions[0].values: operator Exists takes no values");
        assertThat(p.subject()).isEqualTo(Subject.ALL);
        assertThat(p.egress().get(0).peers())
                .containsExactly(
                        new Peer.Unsupported("invalid namespaces peer"),
                        new Peer.Unsupported("invalid nodes peer"),
                        new Peer.Namespaces(new LabelSelector(
                                Map.of(), List.of(new Requirement("env", Operator.NOT_IN, List.of("prod"))))));
    }

    @Test
    void portsEntryWithTwoFieldsIsAnErrorAndLeftOut() {
        AdminPolicy p = policy("port-two-fields");

        assertThat(lines(p.readProblems()))
                .containsExactly("ERROR spec.egress[0].ports[0]: exactly one of portNumber, portRange, namedPort must"
                        + " be set, found portNumber and namedPort");
        assertThat(p.egress().get(0).ports()).containsExactly(new PortMatch.Named("https", Optional.empty()));
    }

    @Test
    void priorityThatIsAStringIsAWrongTypeError() {
        AdminPolicy p = policy("priority-string");

        assertThat(lines(p.readProblems())).containsExactly("ERROR spec.priority: expected an integer, got \"high\"");
        assertThat(p.priority()).isZero();
        assertThat(p.egress()).hasSize(1);
    }

    @Test
    void missingOrUnknownActionReadsAsDenyAndUnreadableRulesKeepTheirPosition() {
        AdminPolicy p = policy("missing-action");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.egress[0].action: missing required field",
                        "ERROR spec.egress[1].action: unknown action \"Drop\" (expected Allow, Deny or Pass)",
                        "ERROR spec.egress[2]: expected an object, got \"not-a-rule\"");
        List<Peer> net = List.of(new Peer.Networks(List.of("192.0.2.0/24")));
        assertThat(p.egress())
                .containsExactly(
                        new Rule(0, "no-action", Action.DENY, net, List.of()),
                        new Rule(1, "bad-action", Action.DENY, net, List.of()),
                        new Rule(2, "", Action.DENY, List.of(), List.of()));
    }

    @Test
    void emptyToAndPortsListsAreErrorsRatherThanMeaningEverything() {
        AdminPolicy p = policy("empty-lists");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.egress[0].to: must list at least one peer",
                        "ERROR spec.egress[0].ports: must list at least one port when present");
    }

    @Test
    void missingPriorityIsAnErrorAndIngressMustBeAList() {
        AdminPolicy p = policy("missing-priority");

        assertThat(lines(p.readProblems()))
                .containsExactly(
                        "ERROR spec.priority: missing required field",
                        "ERROR spec.ingress: expected a list, got an object");
        assertThat(p.ingressRuleCount()).isZero();
    }

    @Test
    void valuesOutsideTheApiLimitsAreKeptForTheValidator() {
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
}
