package io.ovsanp.controller.snapshot;

import static io.ovsanp.controller.snapshot.TestInputs.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One test per class of structural problem in ANP/BANP input, with the exact diagnostic path. */
class AdminPolicyInvalidInputTest {
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
}
