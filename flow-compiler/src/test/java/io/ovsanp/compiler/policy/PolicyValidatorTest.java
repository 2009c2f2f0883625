package io.ovsanp.compiler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {
    private static final Peer INTERNET = new Peer.Networks(List.of("0.0.0.0/0"));

    static AdminPolicy anp(String name, int priority, List<Diagnostic> problems, Rule... rules) {
        return new AdminPolicy(
                new ObjectRef(Tier.ADMIN.kind(), "", name, "", SourceRef.of("f.yaml", 0)),
                Tier.ADMIN,
                priority,
                Subject.ALL,
                List.of(rules),
                List.of(),
                problems);
    }

    static AdminPolicy banp(String name, Rule... rules) {
        return new AdminPolicy(
                new ObjectRef(Tier.BASELINE.kind(), "", name, "", SourceRef.NONE),
                Tier.BASELINE,
                0,
                Subject.ALL,
                List.of(rules),
                List.of(),
                List.of());
    }

    static EffectivePolicies validate(AdminPolicy... ps) {
        return validate(List.of(), ps);
    }

    static EffectivePolicies validate(List<PodInfo> pods, AdminPolicy... ps) {
        return PolicyValidator.validate(new ClusterSnapshot(
                List.of(), pods, List.of(), List.of(), List.of(), List.of(ps), List.of(), List.of()));
    }

    static Rule rule(Action a, List<Peer> peers, List<PortMatch> ports) {
        return new Rule(0, "r", a, peers, ports);
    }

    private static List<Diagnostic> errors(EffectivePolicies e) {
        return e.diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR)
                .toList();
    }

    @Test
    void invalidCidrInADenyRuleDeniesEverythingAndNamesTheField() {
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(),
                rule(
                        Action.DENY,
                        List.of(new Peer.Networks(List.of("10.0.0.0/33"))),
                        List.of(new PortMatch.Number(io.ovsanp.compiler.policy.Protocol.TCP, 80)))));
        assertThat(errors(e)).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("spec.egress[0].to[0].networks[0]");
            assertThat(d.render())
                    .contains("f.yaml")
                    .contains("AdminNetworkPolicy/x")
                    .contains("10.0.0.0/33");
        });
        EffectiveRule r = e.admin().get(0).rules().get(0);
        assertThat(r.failClosed()).isTrue();
        assertThat(r.action()).isEqualTo(Action.DENY);
        assertThat(r.anyDestination()).isTrue();
        assertThat(r.anyPort()).isTrue();
    }

    @Test
    void invalidCidrMessageSaysEachThingOnce() {
        EffectivePolicies e = validate(anp(
                "x", 1, List.of(), rule(Action.DENY, List.of(new Peer.Networks(List.of("10.0.0.300/8"))), List.of())));
        assertThat(errors(e))
                .singleElement()
                .extracting(Diagnostic::message)
                .isEqualTo("invalid CIDR \"10.0.0.300/8\": IPv4 octet 300 is greater than 255");
    }

    @Test
    void invalidAllowRuleMatchesNothing() {
        EffectivePolicies e = validate(
                anp("x", 1, List.of(), rule(Action.ALLOW, List.of(new Peer.Networks(List.of("banana"))), List.of())));
        assertThat(e.admin().get(0).rules()).isEmpty();
        assertThat(errors(e)).hasSize(1);
    }

    @Test
    void invalidPassRuleDeniesEverything() {
        EffectivePolicies e = validate(anp("x", 1, List.of(), rule(Action.PASS, List.of(), List.of())));
        assertThat(e.admin().get(0).rules().get(0).action()).isEqualTo(Action.DENY);
        assertThat(errors(e))
                .singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo("spec.egress[0].to"));
    }

    @Test
    void priorityOutOfRangeMakesThePolicyFailClosedAndOrdersItFirst() {
        EffectivePolicies e = validate(
                anp("ok", 0, List.of(), rule(Action.ALLOW, List.of(INTERNET), List.of())),
                anp(
                        "big",
                        1001,
                        List.of(),
                        rule(Action.ALLOW, List.of(INTERNET), List.of()),
                        new Rule(1, "d", Action.DENY, List.of(INTERNET), List.of())));
        assertThat(e.admin().get(0).ref().name()).isEqualTo("big");
        assertThat(e.admin().get(0).rules())
                .singleElement()
                .satisfies(r -> assertThat(r.failClosed()).isTrue());
        assertThat(errors(e))
                .singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo("spec.priority"));
    }

    @Test
    void banpWithAnotherNameIsInvalidAndOrderedAfterDefault() {
        EffectivePolicies e = validate(
                banp("zzz", rule(Action.DENY, List.of(INTERNET), List.of())),
                banp("default", rule(Action.ALLOW, List.of(INTERNET), List.of())),
                banp("aaa"));
        assertThat(e.baseline()).extracting(p -> p.ref().name()).containsExactly("default", "aaa", "zzz");
        assertThat(errors(e)).extracting(Diagnostic::path).containsExactly("metadata.name", "metadata.name");
        assertThat(e.baseline().get(2).rules().get(0).failClosed()).isTrue();
    }

    @Test
    void passInBaselineIsInvalid() {
        EffectivePolicies e = validate(banp("default", rule(Action.PASS, List.of(INTERNET), List.of())));
        assertThat(errors(e))
                .singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo("spec.egress[0].action"));
        assertThat(e.baseline().get(0).rules().get(0).action()).isEqualTo(Action.DENY);
    }

    @Test
    void readProblemInsideARuleAffectsOnlyThatRule() {
        Diagnostic unknown = Diagnostic.error(
                ObjectRef.cluster("AdminNetworkPolicy", "x"), "spec.egress[1].to[0].services", "unknown field");
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(unknown),
                rule(Action.ALLOW, List.of(INTERNET), List.of()),
                new Rule(1, "b", Action.ALLOW, List.of(INTERNET), List.of())));
        assertThat(e.admin().get(0).rules())
                .singleElement()
                .satisfies(r -> assertThat(r.ref().index()).isZero());
    }

    @Test
    void readProblemAtSpecLevelMakesEveryRuleFailClosed() {
        Diagnostic unknown =
                Diagnostic.error(ObjectRef.cluster("AdminNetworkPolicy", "x"), "spec.tier", "unknown field");
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(unknown),
                rule(Action.ALLOW, List.of(INTERNET), List.of()),
                new Rule(1, "b", Action.DENY, List.of(new Peer.Networks(List.of("1.2.3.4/32"))), List.of())));
        assertThat(e.admin().get(0).rules()).singleElement().satisfies(r -> {
            assertThat(r.failClosed()).isTrue();
            assertThat(r.anyDestination()).isTrue();
        });
    }

    @Test
    void unsupportedPeerInAllowIsDroppedButOtherPeersStay() {
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(),
                rule(
                        Action.ALLOW,
                        List.of(new Peer.Unsupported("services"), new Peer.Networks(List.of("10.0.0.0/8"))),
                        List.of())));
        EffectiveRule r = e.admin().get(0).rules().get(0);
        assertThat(r.failClosed()).isFalse();
        assertThat(r.destinations()).hasSize(1);
    }

    @Test
    void unsupportedPeerInDenyDeniesEverything() {
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(),
                rule(
                        Action.DENY,
                        List.of(new Peer.Unsupported("services"), new Peer.Networks(List.of("10.0.0.0/8"))),
                        List.of(new PortMatch.Number(Protocol.TCP, 80)))));
        EffectiveRule r = e.admin().get(0).rules().get(0);
        assertThat(r.failClosed()).isTrue();
        assertThat(r.anyPort()).isTrue();
    }

    @Test
    void domainNamesInAllowIsAValidEnforcedPeer() {
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(),
                rule(Action.ALLOW, List.of(new Peer.DomainNames(List.of("example.com"))), List.of())));
        // kept as a domainNames destination: the evaluator matches it against a resolver state, the
        // switch against what the subject pods learned from DNS answers; nothing to report
        assertThat(e.admin().get(0).rules())
                .singleElement()
                .satisfies(r -> assertThat(r.destinations())
                        .containsExactly(new Destination.DomainNames(
                                List.of(io.ovsanp.compiler.dns.DomainPattern.parse("example.com")
                                        .pattern()
                                        .orElseThrow()))));
        assertThat(e.diagnostics()).isEmpty();
    }

    @Test
    void namedPortWithNetworksPeerIsInvalid() {
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(),
                rule(Action.DENY, List.of(INTERNET), List.of(new PortMatch.Named("http", Optional.empty())))));
        assertThat(errors(e))
                .singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo("spec.egress[0].ports[0]"));
    }

    @Test
    void portRangeWithStartAboveEndAndPortZeroAreInvalid() {
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(),
                rule(
                        Action.DENY,
                        List.of(INTERNET),
                        List.of(new PortMatch.Range(Protocol.TCP, 90, 80), new PortMatch.Number(Protocol.UDP, 0)))));
        assertThat(errors(e))
                .extracting(Diagnostic::path)
                .containsExactly("spec.egress[0].ports[0]", "spec.egress[0].ports[1]");
    }

    @Test
    void tooManyNetworksAndOverlongRuleNameAreInvalid() {
        List<String> many = Collections.nCopies(26, "10.0.0.0/8");
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(),
                new Rule(0, "n".repeat(101), Action.DENY, List.of(new Peer.Networks(many)), List.of())));
        assertThat(errors(e))
                .extracting(Diagnostic::path)
                .containsExactlyInAnyOrder("spec.egress[0].name", "spec.egress[0].to[0].networks");
    }

    @Test
    void hostBitsAreNormalisedWithANote() {
        EffectivePolicies e = validate(anp(
                "x", 1, List.of(), rule(Action.DENY, List.of(new Peer.Networks(List.of("10.1.2.3/8"))), List.of())));
        assertThat(errors(e)).isEmpty();
        assertThat(e.diagnostics()).anySatisfy(d -> assertThat(d.message()).contains("10.0.0.0/8"));
    }

    @Test
    void equalPrioritiesThatShareASubjectAreReportedAndOrderedByName() {
        PodInfo pod = new PodInfo("a", "p", "n", false, List.of(IpAddress.parse("10.0.0.1")), Map.of(), List.of());
        EffectivePolicies e = validate(
                List.of(pod),
                anp("b", 7, List.of(), rule(Action.DENY, List.of(INTERNET), List.of())),
                anp("a", 7, List.of(), rule(Action.ALLOW, List.of(INTERNET), List.of())));
        assertThat(e.admin()).extracting(p -> p.ref().name()).containsExactly("a", "b");
        assertThat(e.diagnostics())
                .filteredOn(d -> d.severity() == Severity.WARNING)
                .hasSize(2);
    }

    @Test
    void ingressRulesAreValidatedLikeEgressRulesUnderTheirOwnPaths() {
        Rule fromNs = new Rule(0, "from-a", Action.DENY, List.of(new Peer.Namespaces(LabelSelector.ALL)), List.of());
        Rule fromNetwork = new Rule(1, "", Action.DENY, List.of(new Peer.Networks(List.of("10.0.0.0/8"))), List.of());
        AdminPolicy p = new AdminPolicy(
                ObjectRef.cluster("AdminNetworkPolicy", "x"),
                Tier.ADMIN,
                1,
                Subject.ALL,
                List.of(),
                List.of(fromNs, fromNetwork),
                List.of());
        EffectivePolicies e = validate(p);
        assertThat(e.diagnostics()).noneMatch(Diagnostic::unenforced);
        assertThat(e.diagnostics().stream().map(Diagnostic::render))
                .contains("error: AdminNetworkPolicy/x spec.ingress[1].from[0]: only namespaces and pods are"
                        + " ingress peers; this peer matches nothing");
        List<EffectiveRule> ingress = e.admin().get(0).ingress();
        assertThat(ingress).hasSize(2);
        assertThat(ingress.get(0).ref().path()).isEqualTo("spec.ingress[0]");
        assertThat(ingress.get(0).failClosed()).isFalse();
        assertThat(ingress.get(1).failClosed())
                .as("an invalid Deny denies all ingress")
                .isTrue();
        assertThat(e.admin().get(0).rules()).isEmpty();
    }

    @Test
    void networkPolicyIpBlockExceptIsSubtracted() {
        NetworkPolicy np = new NetworkPolicy(
                new ObjectRef("NetworkPolicy", "a", "np", "", SourceRef.NONE),
                LabelSelector.ALL,
                true,
                List.of(new Rule(
                        0,
                        "",
                        Action.ALLOW,
                        List.of(new Peer.IpBlock("10.0.0.0/8", List.of("10.1.0.0/16"))),
                        List.of())),
                List.of());
        EffectivePolicies e = PolicyValidator.validate(new ClusterSnapshot(
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(np), List.of()));
        Destination.Cidrs d = (Destination.Cidrs)
                e.networkPolicies().get(0).rules().get(0).destinations().get(0);
        assertThat(d.cidrs())
                .hasSize(8)
                .noneMatch(c -> c.contains(IpAddress.parse("10.1.2.3")))
                .anyMatch(c -> c.contains(IpAddress.parse("10.2.0.1")));
    }

    @Test
    void networkPolicyExceptOutsideCidrIsInvalidButStillIsolates() {
        NetworkPolicy np = new NetworkPolicy(
                new ObjectRef("NetworkPolicy", "a", "np", "", SourceRef.NONE),
                LabelSelector.ALL,
                true,
                List.of(new Rule(
                        0,
                        "",
                        Action.ALLOW,
                        List.of(new Peer.IpBlock("10.0.0.0/8", List.of("11.0.0.0/16"))),
                        List.of())),
                List.of());
        EffectivePolicies e = PolicyValidator.validate(new ClusterSnapshot(
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(np), List.of()));
        assertThat(e.networkPolicies().get(0).isolatesEgress()).isTrue();
        assertThat(e.networkPolicies().get(0).rules()).isEmpty();
        assertThat(errors(e))
                .singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo("spec.egress[0].to[0].ipBlock.except[0]"));
    }

    @Test
    void unreadableEgressListDeniesAllEgressOfTheSubjects() {
        Diagnostic unreadable =
                Diagnostic.error(ObjectRef.cluster("AdminNetworkPolicy", "x"), "spec.egress", "expected a list");
        EffectivePolicies e = validate(anp("x", 1, List.of(unreadable)));
        assertThat(e.admin().get(0).rules()).singleElement().satisfies(r -> {
            assertThat(r.failClosed()).isTrue();
            assertThat(r.action()).isEqualTo(Action.DENY);
        });
    }

    @Test
    void aDomainNameThatIsNotOneIsAnErrorAndTheAllowRuleMatchesNothing() {
        EffectivePolicies e = validate(anp(
                "x",
                1,
                List.of(),
                rule(
                        Action.ALLOW,
                        List.of(new Peer.DomainNames(List.of("api.example.com", "my-*.example.com", "localhost"))),
                        List.of())));
        assertThat(errors(e))
                .extracting(Diagnostic::path)
                .containsExactly("spec.egress[0].to[0].domainNames[1]", "spec.egress[0].to[0].domainNames[2]");
        assertThat(e.admin().get(0).rules())
                .as("an invalid Allow rule matches nothing")
                .isEmpty();
    }
}
