package io.ovsanp.compiler.policy;

import static io.ovsanp.compiler.policy.PolicyValidatorTest.anp;
import static io.ovsanp.compiler.policy.PolicyValidatorTest.banp;
import static io.ovsanp.compiler.policy.PolicyValidatorTest.validate;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** v1alpha2 ClusterNetworkPolicy limits and its order beside ANP/BANP (docs/semantics.md). */
class ClusterNetworkPolicyValidationTest {
    private static final Peer INTERNET = new Peer.Networks(List.of("0.0.0.0/0"));

    static AdminPolicy cnp(Tier tier, String name, int priority, Rule... rules) {
        return cnp(tier, name, priority, 0, List.of(), List.of(rules));
    }

    static AdminPolicy cnp(
            Tier tier, String name, int priority, int ingress, List<Diagnostic> problems, List<Rule> rules) {
        return new AdminPolicy(
                new ObjectRef(AdminPolicy.CLUSTER_NETWORK_POLICY, "", name, "", SourceRef.NONE),
                tier,
                priority,
                Subject.ALL,
                rules,
                java.util.stream.IntStream.range(0, ingress)
                        .mapToObj(i -> new Rule(
                                i, "", Action.ALLOW, List.of(new Peer.Namespaces(LabelSelector.ALL)), List.of()))
                        .toList(),
                problems);
    }

    private static Rule rule(int index, Action a, List<Peer> peers, List<PortMatch> ports) {
        return new Rule(index, "r" + index, a, peers, ports);
    }

    private static Rule deny(int index) {
        return rule(index, Action.DENY, List.of(INTERNET), List.of());
    }

    private static List<String> errors(EffectivePolicies e) {
        return e.diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR)
                .map(Diagnostic::render)
                .toList();
    }

    private static List<String> order(List<EffectiveAdminPolicy> ps) {
        return ps.stream().map(p -> p.ref().display()).toList();
    }

    @Test
    void aRangeWhoseStartIsNotBelowItsEndIsAnErrorAtTheProtocolsPath() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 2; i++) rules.add(deny(i));
        rules.add(rule(2, Action.ALLOW, List.of(INTERNET), List.of(new PortMatch.Range(Protocol.TCP, 90, 80))));
        rules.add(rule(3, Action.ALLOW, List.of(INTERNET), List.of(new PortMatch.Range(Protocol.UDP, 80, 80))));

        EffectivePolicies e = validate(cnp(Tier.ADMIN, "x", 1, 0, List.of(), rules));

        assertThat(errors(e))
                .containsExactly(
                        "error: ClusterNetworkPolicy/x spec.egress[2].protocols[0].tcp.destinationPort.range: start"
                                + " 90 is not below end 80",
                        "error: ClusterNetworkPolicy/x spec.egress[3].protocols[0].udp.destinationPort.range: start"
                                + " 80 is not below end 80");
        assertThat(e.admin().get(0).rules())
                .as("invalid Accept rules match nothing")
                .hasSize(2);
    }

    @Test
    void portNumbersOutsideTheirRangeAndNamedPortsBesideNetworksAreErrorsAtTheirFields() {
        EffectivePolicies e = validate(cnp(
                Tier.BASELINE,
                "x",
                1,
                rule(
                        0,
                        Action.DENY,
                        List.of(INTERNET),
                        List.of(
                                new PortMatch.Number(Protocol.SCTP, 0),
                                new PortMatch.Range(Protocol.TCP, 1, 70000),
                                new PortMatch.Named("http", Optional.empty())))));

        assertThat(errors(e))
                .containsExactly(
                        "error: ClusterNetworkPolicy/x spec.egress[0].protocols[0].sctp.destinationPort.number: port 0"
                                + " is outside 1..65535",
                        "error: ClusterNetworkPolicy/x spec.egress[0].protocols[1].tcp.destinationPort.range: port range"
                                + " 1-70000 is outside 1..65535",
                        "error: ClusterNetworkPolicy/x spec.egress[0].protocols[2].destinationNamedPort:"
                                + " destinationNamedPort cannot be used in a rule whose peers include nodes, networks or"
                                + " domainNames");
        assertThat(e.baseline().get(0).rules())
                .singleElement()
                .satisfies(r -> assertThat(r.failClosed()).isTrue());
    }

    @Test
    void moreThan25RulesPeersOrProtocolsMakeThePolicyOrRuleInvalid() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 26; i++) rules.add(deny(i));
        assertThat(errors(validate(cnp(Tier.ADMIN, "many", 1, 26, List.of(), rules))))
                .containsExactly(
                        "error: ClusterNetworkPolicy/many spec.egress: 26 egress rules; at most 25",
                        "error: ClusterNetworkPolicy/many spec.ingress: 26 ingress rules; at most 25");
        assertThat(errors(validate(cnp(Tier.ADMIN, "ok", 1, 25, List.of(), rules.subList(0, 25)))))
                .isEmpty();

        Rule wide = rule(
                0,
                Action.DENY,
                Collections.nCopies(26, INTERNET),
                Collections.nCopies(26, new PortMatch.Number(Protocol.TCP, 80)));
        assertThat(errors(validate(cnp(Tier.ADMIN, "wide", 1, wide))))
                .containsExactly(
                        "error: ClusterNetworkPolicy/wide spec.egress[0].protocols: 26 protocols; at most 25",
                        "error: ClusterNetworkPolicy/wide spec.egress[0].to: 26 peers; must be 1..25");
    }

    @Test
    void priorityIsLimitedInBothTiersAndAnInvalidOneIsOrderedFirst() {
        EffectivePolicies e = validate(
                cnp(Tier.BASELINE, "a", 3, deny(0)),
                cnp(Tier.BASELINE, "z", 1001, deny(0)),
                cnp(Tier.ADMIN, "b", -1, deny(0)),
                anp("a", 0, List.of(), deny(0)));

        assertThat(errors(e))
                .containsExactly(
                        "error: ClusterNetworkPolicy/b spec.priority: priority -1 is outside 0..1000; the policy is"
                                + " realised fail-closed and ordered first",
                        "error: ClusterNetworkPolicy/z spec.priority: priority 1001 is outside 0..1000; the policy is"
                                + " realised fail-closed and ordered first in the Baseline tier");
        assertThat(order(e.admin())).containsExactly("AdminNetworkPolicy/a", "ClusterNetworkPolicy/b");
        assertThat(order(e.baseline())).containsExactly("ClusterNetworkPolicy/z", "ClusterNetworkPolicy/a");
    }

    @Test
    void anAdminNetworkPolicyComesBeforeAClusterNetworkPolicyOfEqualPriorityWhateverTheirNames() {
        EffectivePolicies e = validate(
                cnp(Tier.ADMIN, "a", 5, deny(0)),
                anp("z", 5, List.of(), deny(0)),
                cnp(Tier.ADMIN, "first", 4, deny(0)),
                anp("b", 6, List.of(), deny(0)));

        assertThat(order(e.admin()))
                .containsExactly(
                        "ClusterNetworkPolicy/first",
                        "AdminNetworkPolicy/z",
                        "ClusterNetworkPolicy/a",
                        "AdminNetworkPolicy/b");
    }

    @Test
    void severalBaselineClusterNetworkPoliciesComeByPriorityBeforeTheDefaultBanpAndMisnamedOnesLast() {
        EffectivePolicies e = validate(
                banp("other", deny(0)),
                banp("default", deny(0)),
                cnp(Tier.BASELINE, "b", 7, deny(0)),
                cnp(Tier.BASELINE, "a", 7, deny(0)),
                cnp(Tier.BASELINE, "z", 0, deny(0)));

        assertThat(order(e.baseline()))
                .containsExactly(
                        "ClusterNetworkPolicy/z",
                        "ClusterNetworkPolicy/a",
                        "ClusterNetworkPolicy/b",
                        "BaselineAdminNetworkPolicy/default",
                        "BaselineAdminNetworkPolicy/other");
        assertThat(errors(e))
                .as("no naming rule for Baseline CNPs")
                .singleElement()
                .satisfies(d -> assertThat(d).contains("BaselineAdminNetworkPolicy/other metadata.name"));
    }

    @Test
    void moreThan25DomainNamesInOnePeerMakeTheRuleInvalid() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 26; i++) names.add("host" + i + ".example.com");
        Rule many = rule(0, Action.ALLOW, List.of(new Peer.DomainNames(names)), List.of());
        Rule none = rule(1, Action.ALLOW, List.of(new Peer.DomainNames(List.of())), List.of());
        EffectivePolicies e = validate(cnp(Tier.ADMIN, "dns", 1, 0, List.of(), List.of(many, none)));
        assertThat(errors(e))
                .containsExactly(
                        "error: ClusterNetworkPolicy/dns spec.egress[0].to[0].domainNames: 26 names; must be 1..25",
                        "error: ClusterNetworkPolicy/dns spec.egress[1].to[0].domainNames: 0 names; must be 1..25");
        assertThat(e.admin().get(0).rules())
                .as("invalid Accept rules match nothing")
                .isEmpty();
    }

    @Test
    void passAndDomainNamesAreValidInABaselineClusterNetworkPolicy() {
        Rule pass = rule(0, Action.PASS, List.of(INTERNET), List.of());
        Rule dns = rule(1, Action.ALLOW, List.of(new Peer.DomainNames(List.of("example.com"))), List.of());
        Rule denyDns = rule(2, Action.DENY, List.of(new Peer.DomainNames(List.of("example.com"))), List.of());

        EffectivePolicies e = validate(cnp(Tier.BASELINE, "b", 1, 2, List.of(), List.of(pass, dns, denyDns)));

        assertThat(errors(e))
                .containsExactly("error: ClusterNetworkPolicy/b spec.egress[2].to[0].domainNames: domainNames is"
                        + " allowed only in Accept rules");
        assertThat(e.diagnostics().stream().filter(Diagnostic::unenforced).map(Diagnostic::render))
                .as("domainNames is enforced (learned from DNS answers)")
                .isEmpty();
        assertThat(e.baseline().get(0).ingress()).hasSize(2);
        List<EffectiveRule> rules = e.baseline().get(0).rules();
        assertThat(rules.get(0).action()).isEqualTo(Action.PASS);
        assertThat(rules.get(0).failClosed()).isFalse();
        assertThat(rules).hasSize(3);
        assertThat(rules.get(1).destinations()).singleElement().isInstanceOf(Destination.DomainNames.class);
        assertThat(rules.get(2).failClosed()).isTrue();
        assertThat(errors(validate(banp("default", pass))))
                .as("a BANP still has no Pass")
                .hasSize(1);
    }

    @Test
    void anUnreadableTierMakesThePolicyInvalidAndItsRulesDenyAll() {
        AdminPolicy p = cnp(
                Tier.ADMIN,
                "t",
                0,
                0,
                List.of(Diagnostic.error(
                        ObjectRef.cluster(AdminPolicy.CLUSTER_NETWORK_POLICY, "t"), "spec.tier", "unknown tier")),
                List.of(rule(0, Action.PASS, List.of(INTERNET), List.of())));

        EffectivePolicies e = validate(p);

        assertThat(e.admin()).singleElement().satisfies(a -> {
            assertThat(a.priority()).isZero();
            assertThat(a.rules())
                    .singleElement()
                    .satisfies(r -> assertThat(r.failClosed()).isTrue());
        });
    }

    @Test
    void anAnpAndACnpOfEqualPriorityWithOverlappingSubjectsAreWarnedAbout() {
        PodInfo pod = new PodInfo("a", "web", "n1", false, List.of(IpAddress.parse("10.0.0.1")), Map.of(), List.of());
        EffectivePolicies e = validate(List.of(pod), cnp(Tier.ADMIN, "a", 5, deny(0)), anp("z", 5, List.of(), deny(0)));

        assertThat(e.diagnostics().stream()
                        .filter(d -> d.severity() == Severity.WARNING)
                        .map(Diagnostic::message))
                .containsExactlyInAnyOrder(
                        "same priority 5 as ClusterNetworkPolicy/a and both select pod a/web; the API leaves their"
                                + " order undefined: ovs-anp evaluates AdminNetworkPolicy/z first (an"
                                + " AdminNetworkPolicy before a ClusterNetworkPolicy)",
                        "same priority 5 as AdminNetworkPolicy/z and both select pod a/web; the API leaves their"
                                + " order undefined: ovs-anp evaluates AdminNetworkPolicy/z first (an"
                                + " AdminNetworkPolicy before a ClusterNetworkPolicy)");
    }

    @Test
    void rulesOfAnAnpAndACnpOfOneNameHaveDifferentAllocationKeys() {
        RuleRef anp = new RuleRef(Tier.ADMIN, ObjectRef.cluster(Tier.ADMIN.kind(), "x"), 0, "");
        RuleRef cnp = new RuleRef(Tier.ADMIN, ObjectRef.cluster(AdminPolicy.CLUSTER_NETWORK_POLICY, "x"), 0, "");

        assertThat(cnp.key()).isNotEqualTo(anp.key());
        assertThat(anp.key()).as("v1alpha1 keys are unchanged").isEqualTo("ADMIN||x||0");
    }
}
