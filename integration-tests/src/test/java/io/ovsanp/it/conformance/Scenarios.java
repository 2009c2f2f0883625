package io.ovsanp.it.conformance;

import java.util.List;
import java.util.Set;

/**
 * The egress and the ingress scenarios of the upstream network-policy-api conformance suite, re-created
 * as data: for each upstream test (its v1alpha1 ANP/BANP name and its v1alpha2 ClusterNetworkPolicy
 * name), the policy state after each of its steps (files {@code <scenario>/<step>-v1alpha1.yaml} and
 * {@code -v1alpha2.yaml} under the test resources {@code conformance/}) and the connections upstream
 * then pokes, with the result it asserts (allowed, or a timeout). Every verdict here is transcribed
 * from the upstream assertion, never from our own output. {@link #egress} holds the tests about egress
 * rules, {@link #ingress} those about ingress rules (the gress, priority and integration tests appear
 * in both, with their egress and their ingress probes); every subtest docs/conformance.md lists as left
 * out is left out here too.
 *
 * <p>Names: {@code gryffindor/harry-potter-0} stands for the pod in namespace {@code
 * network-policy-conformance-gryffindor}; a destination is such a pod, or a literal IP address.
 */
final class Scenarios {
    private Scenarios() {}

    /** One connection attempt and the result upstream asserts. */
    record Probe(String from, String to, String proto, int port, boolean allowed) {
        @Override
        public String toString() {
            return from + " -> " + to + " " + proto + "/" + port + (allowed ? " allowed" : " denied");
        }
    }

    /**
     * The policies after one step ({@code file} is the step's number), and what upstream then asserts;
     * {@code apis} the API versions whose upstream test has this subtest.
     */
    record Step(String file, String upstreamSubtest, List<Probe> probes, Set<String> apis) {
        boolean appliesTo(String api) {
            return apis.contains(api);
        }
    }

    /** @param v1alpha1Test upstream's ANP/BANP test name, empty when upstream has only a CNP one */
    record Scenario(String dir, String v1alpha1Test, String v1alpha2Test, List<Step> steps) {}

    static Probe allow(String from, String to, String proto, int port) {
        return new Probe(from, to, proto, port, true);
    }

    static Probe deny(String from, String to, String proto, int port) {
        return new Probe(from, to, proto, port, false);
    }

    static final String V1ALPHA1 = "v1alpha1";
    static final String V1ALPHA2 = "v1alpha2";

    static Step step(String file, String subtest, Probe... probes) {
        return new Step(file, subtest, List.of(probes), Set.of(V1ALPHA1, V1ALPHA2));
    }

    /** A subtest only the v1alpha2 (ClusterNetworkPolicy) form of the upstream test has. */
    static Step v1alpha2Step(String file, String subtest, Probe... probes) {
        return new Step(file, subtest, List.of(probes), Set.of(V1ALPHA2));
    }

    static final String HP0 = "gryffindor/harry-potter-0";
    static final String HP1 = "gryffindor/harry-potter-1";
    static final String DM0 = "slytherin/draco-malfoy-0";
    static final String DM1 = "slytherin/draco-malfoy-1";
    static final String CD0 = "hufflepuff/cedric-diggory-0";
    static final String CD1 = "hufflepuff/cedric-diggory-1";
    static final String LL0 = "ravenclaw/luna-lovegood-0";
    static final String LL1 = "ravenclaw/luna-lovegood-1";
    /** The host-networked server of the node-peer tests; its IP is its node's. */
    static final String CENTAUR = "forbidden-forrest/centaur-1";
    /** s.HostNetworkPorts: free ports the suite picks at run time; these are ours (also in the policy files). */
    static final int[] HOST_PORTS = {34345, 34346, 34347, 34348, 34349, 34350, 34351};

    /** The tests about egress rules. */
    static List<Scenario> egress() {
        return List.of(
                // admin-network-policy-core-egress-tcp-rules.go / admin-network-policy-standard-egress-tcp-rules.go.
                // The subtests run in order on one policy; each swap applies to the previous state.
                new Scenario(
                        "egress-tcp",
                        "AdminNetworkPolicyEgressTCP",
                        "CNPAdminTierEgressTCP",
                        List.of(
                                step(
                                        "0",
                                        "allow-egress for TCP; rule ordering / at the specified port",
                                        allow(HP0, LL0, "tcp", 80),
                                        allow(HP1, LL0, "tcp", 8080),
                                        allow(HP0, CD1, "tcp", 8080),
                                        deny(HP1, CD1, "tcp", 80)),
                                step(
                                        "1",
                                        "deny-egress for TCP; rule ordering (swap 0,1) / at the specified port",
                                        deny(HP0, LL1, "tcp", 80),
                                        deny(HP1, LL1, "tcp", 8080),
                                        deny(HP0, DM0, "tcp", 80),
                                        allow(HP1, DM0, "tcp", 8080)),
                                step(
                                        "2",
                                        "pass-egress for TCP; rule ordering (swap 0,2)",
                                        allow(HP0, LL0, "tcp", 80),
                                        allow(HP1, LL0, "tcp", 8080)),
                                step(
                                        "3",
                                        "pass-egress for TCP at the specified port (swap 3,4)",
                                        allow(HP0, DM0, "tcp", 80),
                                        allow(HP1, DM0, "tcp", 8080)))),
                // admin-network-policy-core-egress-udp-rules.go / admin-network-policy-standard-egress-udp-rules.go
                new Scenario(
                        "egress-udp",
                        "AdminNetworkPolicyEgressUDP",
                        "CNPAdminTierEgressUDP",
                        List.of(
                                step(
                                        "0",
                                        "allow-egress for UDP; rule ordering / at the specified port",
                                        allow(CD0, LL0, "udp", 53),
                                        allow(CD1, LL0, "udp", 5353),
                                        allow(CD0, "gryffindor/harry-potter-1", "udp", 53),
                                        deny(CD1, "gryffindor/harry-potter-1", "udp", 5353)),
                                step(
                                        "1",
                                        "deny-egress for UDP; rule ordering (swap 0,1) / at the specified port",
                                        deny(CD0, LL1, "udp", 53),
                                        deny(CD1, LL1, "udp", 5353),
                                        deny(CD0, DM0, "udp", 5353),
                                        allow(CD1, DM0, "udp", 53)),
                                step(
                                        "2",
                                        "pass-egress for UDP; rule ordering (swap 0,2)",
                                        allow(CD0, LL1, "udp", 5353),
                                        allow(CD1, LL1, "udp", 53)),
                                step(
                                        "3",
                                        "pass-egress for UDP at the specified port (swap 3,4)",
                                        allow(CD0, DM0, "udp", 5353),
                                        allow(CD1, DM0, "udp", 53)))),
                // admin-network-policy-core-egress-sctp-rules.go / admin-network-policy-standard-egress-sctp-rules.go:
                // subject ravenclaw, the egress-tcp rule layout towards gryffindor, slytherin and hufflepuff on SCTP
                new Scenario(
                        "egress-sctp",
                        "AdminNetworkPolicyEgressSCTP",
                        "CNPAdminTierEgressSCTP",
                        List.of(
                                step(
                                        "0",
                                        "allow-egress for SCTP; rule ordering / at the specified port",
                                        allow(LL0, HP0, "sctp", 9003),
                                        allow(LL1, HP0, "sctp", 9005),
                                        allow(LL0, CD1, "sctp", 9003),
                                        deny(LL1, CD1, "sctp", 9005)),
                                step(
                                        "1",
                                        "deny-egress for SCTP; rule ordering (swap 0,1) / at the specified port",
                                        deny(LL0, HP1, "sctp", 9003),
                                        deny(LL1, HP1, "sctp", 9005),
                                        deny(LL0, DM0, "sctp", 9003),
                                        allow(LL1, DM0, "sctp", 9005)),
                                step(
                                        "2",
                                        "pass-egress for SCTP; rule ordering (swap 0,2)",
                                        allow(LL0, HP1, "sctp", 9003),
                                        allow(LL1, HP1, "sctp", 9005)),
                                step(
                                        "3",
                                        "pass-egress for SCTP at the specified port (swap 3,4)",
                                        allow(LL0, DM0, "sctp", 9003),
                                        allow(LL1, DM0, "sctp", 9005)))),
                // baseline-admin-network-policy-core-egress-sctp-rules.go /
                // baseline-admin-network-policy-standard-egress-sctp-rules.go (subject ravenclaw)
                new Scenario(
                        "baseline-egress-sctp",
                        "BaselineAdminNetworkPolicyEgressSCTP",
                        "CNPBaselineTierEgressSCTP",
                        List.of(
                                step(
                                        "0",
                                        "allow-egress for SCTP; rule ordering / at the specified port",
                                        allow(LL0, HP0, "sctp", 9003),
                                        allow(LL1, HP0, "sctp", 9005),
                                        allow(LL0, CD1, "sctp", 9003),
                                        deny(LL1, CD1, "sctp", 9005)),
                                step(
                                        "1",
                                        "deny-egress for SCTP; rule ordering (swap 0,1) / at the specified port",
                                        deny(LL0, HP1, "sctp", 9003),
                                        deny(LL1, HP1, "sctp", 9005),
                                        deny(LL0, DM0, "sctp", 9003),
                                        allow(LL1, DM0, "sctp", 9005)))),
                // baseline-admin-network-policy-core-egress-tcp-rules.go /
                // baseline-admin-network-policy-standard-egress-tcp-rules.go
                new Scenario(
                        "baseline-egress-tcp",
                        "BaselineAdminNetworkPolicyEgressTCP",
                        "CNPBaselineTierEgressTCP",
                        List.of(
                                step(
                                        "0",
                                        "allow-egress for TCP; rule ordering / at the specified port",
                                        allow(HP0, LL0, "tcp", 80),
                                        allow(HP1, LL0, "tcp", 8080),
                                        allow(HP0, CD1, "tcp", 8080),
                                        deny(HP1, CD1, "tcp", 80)),
                                v1alpha2Step(
                                        "0",
                                        "should not affect ingress traffic when only egress rules are specified",
                                        allow(LL0, HP0, "tcp", 80),
                                        allow(DM0, HP1, "tcp", 80)),
                                step(
                                        "1",
                                        "deny-egress for TCP; rule ordering (swap 0,1) / at the specified port",
                                        deny(HP0, LL1, "tcp", 80),
                                        deny(HP1, LL1, "tcp", 8080),
                                        deny(HP0, DM0, "tcp", 80),
                                        allow(HP1, DM0, "tcp", 8080)))),
                // admin-network-policy-experimental-egress-rules.go: the egress-tcp policy with rule 5 on
                // the named port "web" (TCP 80 in the pod spec)
                new Scenario(
                        "egress-named-port",
                        "AdminNetworkPolicyEgressNamedPort",
                        "CNPAdminTierEgressNamedPort",
                        List.of(step(
                                "0",
                                "allow-egress for named port",
                                allow(HP0, CD1, "tcp", 80),
                                deny(HP1, CD1, "tcp", 8080)))),
                // baseline-admin-network-policy-experimental-egress-rules.go: baseline egress-udp with rule 3
                // on the named port "dns" (UDP 53 in the pod spec)
                new Scenario(
                        "baseline-egress-named-port",
                        "BaselineAdminNetworkPolicyEgressNamedPort",
                        "CNPBaselineTierEgressNamedPort",
                        List.of(step(
                                "0",
                                "allow-egress for named port",
                                allow(CD0, HP1, "udp", 53),
                                deny(CD1, HP1, "udp", 5353)))),
                // admin-network-policy-experimental-egress-rules.go, node peers
                new Scenario(
                        "egress-node-peers",
                        "AdminNetworkPolicyEgressNodePeers",
                        "CNPAdminTierEgressNodePeers",
                        List.of(step(
                                "0",
                                "allow / pass / deny-egress for egress-node-peer",
                                allow(HP1, CENTAUR, "tcp", HOST_PORTS[0]),
                                allow(HP1, CENTAUR, "udp", HOST_PORTS[2]),
                                deny(HP1, CENTAUR, "tcp", HOST_PORTS[1]),
                                deny(HP1, CENTAUR, "udp", HOST_PORTS[4]),
                                deny(HP1, CENTAUR, "sctp", HOST_PORTS[6])))),
                // baseline-admin-network-policy-experimental-egress-rules.go, node peers (TCP port range)
                new Scenario(
                        "baseline-egress-node-peers",
                        "BaselineAdminNetworkPolicyEgressNodePeers",
                        "CNPBaselineTierEgressNodePeers",
                        List.of(step(
                                "0",
                                "allow / deny-egress for egress-node-peer",
                                allow(HP0, CENTAUR, "tcp", 36363),
                                allow(HP1, CENTAUR, "tcp", 36364),
                                deny(HP1, CENTAUR, "udp", 34346),
                                deny(HP1, CENTAUR, "sctp", 9003)))),
                // admin-network-policy-standard-egress-inline-cidr-rules.go; step 1 inserts the /32 Allow
                new Scenario(
                        "egress-inline-cidr",
                        "AdminNetworkPolicyEgressInlineCIDRPeers",
                        "CNPAdminTierEgressInlineCIDRPeers",
                        inlineCidrSteps()),
                // baseline-admin-network-policy-standard-egress-inline-cidr-rules.go
                new Scenario(
                        "baseline-egress-inline-cidr",
                        "BaselineAdminNetworkPolicyEgressInlineCIDRPeers",
                        "CNPBaselineTierEgressInlineCIDRPeers",
                        inlineCidrSteps()),
                // admin-network-policy-core-gress-rules.go / admin-network-policy-standard-gress-rules.go: one policy
                // with egress and ingress rules (subject gryffindor), each swap applied to both lists; the egress
                // probes (the ingress ones are in ingress())
                new Scenario(
                        "gress",
                        "AdminNetworkPolicyGress",
                        "CNPAdminTierGress",
                        List.of(
                                gressAllowEgress(),
                                gressDenyEgress(),
                                step(
                                        "2",
                                        "pass-gress across different protocols (swap 0,2): egress",
                                        allow(HP0, LL0, "tcp", 80),
                                        allow(HP0, LL0, "udp", 5353),
                                        allow(HP0, LL0, "sctp", 9003)),
                                step(
                                        "3",
                                        "pass-gress across different protocols at the specified ports (swap 3,4): egress",
                                        allow(HP0, DM0, "tcp", 80),
                                        allow(HP1, DM0, "tcp", 8080),
                                        allow(HP0, DM0, "udp", 53),
                                        allow(HP1, DM0, "udp", 5353),
                                        allow(HP0, DM0, "sctp", 9003),
                                        allow(HP1, DM0, "sctp", 9005)))),
                // baseline-admin-network-policy-core-gress-rules.go /
                // baseline-admin-network-policy-standard-gress-rules.go
                new Scenario(
                        "baseline-gress",
                        "BaselineAdminNetworkPolicyGress",
                        "CNPBaselineTierGress",
                        List.of(gressAllowEgress(), gressDenyEgress())),
                // admin-network-policy-standard-same-priority.go (CNP only): three Admin policies at one priority,
                // disjoint rules; the egress probes (the ingress ones are in ingress())
                new Scenario(
                        "same-priority",
                        "",
                        "CNPAdminTierSamePriority",
                        List.of(step(
                                "0",
                                "deny both ways per same-priority policy / no bleed onto another subject / no"
                                        + " policy: egress",
                                deny(HP0, DM0, "tcp", 80),
                                deny(HP1, CD0, "tcp", 80),
                                deny(CD1, DM0, "tcp", 8080),
                                allow(HP0, DM0, "tcp", 8080),
                                allow(CD0, DM0, "tcp", 80),
                                allow(HP1, LL0, "tcp", 80)))),
                // baseline-admin-network-policy-standard-same-priority.go (CNP only; v1alpha1 has a single BANP, so
                // there is no v1alpha1 form): servers are the -1 pods
                new Scenario(
                        "baseline-same-priority",
                        "",
                        "CNPBaselineTierSamePriority",
                        List.of(v1alpha2Step(
                                "0",
                                "deny both ways per same-priority policy / no bleed onto another subject / no"
                                        + " policy: egress",
                                deny(HP0, DM1, "tcp", 80),
                                deny(HP1, CD1, "tcp", 80),
                                deny(CD1, DM1, "tcp", 8080),
                                allow(HP0, DM1, "tcp", 8080),
                                allow(CD0, DM1, "tcp", 80),
                                allow(HP0, LL1, "tcp", 80)))),
                // admin- / baseline-admin-network-policy-standard-ingress-egress-isolation.go (CNP only): a policy
                // with egress rules only leaves its subject's ingress alone (with the egress control probe)
                new Scenario("egress-isolation", "", "CNPAdminTierEgressRulesIngressUnaffected", isolation("egress")),
                new Scenario(
                        "baseline-egress-isolation",
                        "",
                        "CNPBaselineTierEgressRulesIngressUnaffected",
                        isolation("egress")),
                // admin-network-policy-core-priority.go / admin-network-policy-standard-priority.go (the ingress
                // probes are in ingress())
                new Scenario(
                        "priority",
                        "AdminNetworkPolicyPriorityField",
                        "CNPAdminTierPriorityField",
                        List.of(
                                step(
                                        "0",
                                        "Deny traffic to slytherin from gryffindor respecting the admin policy",
                                        deny(HP0, DM0, "tcp", 80),
                                        deny(HP1, DM0, "tcp", 8080)),
                                step(
                                        "1",
                                        "respect the priority field (60 -> 40): pass to the baseline Allow",
                                        allow(HP0, DM0, "tcp", 80),
                                        allow(HP1, DM0, "tcp", 8080)))),
                // admin-network-policy-core-integration.go / admin-network-policy-standard-integration.go (the
                // ingress probes are in ingress())
                new Scenario(
                        "integration",
                        "AdminNetworkPolicyIntegration",
                        "CNPAdminTierIntegration",
                        List.of(
                                step(
                                        "0",
                                        "Deny traffic to slytherin from gryffindor respecting the admin policy",
                                        deny(HP0, DM0, "tcp", 80),
                                        deny(HP1, DM0, "tcp", 8080)),
                                step(
                                        "1",
                                        "pass-egress and respect the match for network policy",
                                        allow(HP0, DM0, "tcp", 80),
                                        allow(HP1, DM0, "tcp", 8080)),
                                step(
                                        "2",
                                        "pass-egress and respect the match for the baseline (NetworkPolicy deleted)",
                                        deny(HP0, DM0, "tcp", 80),
                                        deny(HP1, DM0, "tcp", 8080)))),
                // admin-network-policy-standard-port-range-rules.go / baseline-...-standard-port-range-rules.go
                // (CNP only upstream; the v1alpha1 files are the same policies as ANP/BANP): the egress subtest
                new Scenario("port-range", "", "CNPAdminTierPortRange", portRangeEgress()),
                new Scenario("baseline-port-range", "", "CNPBaselineTierPortRange", portRangeEgress()));
    }

    /**
     * The tests about ingress rules. A probe names the client first and the server second, as
     * upstream's PokeServer does; the server is the subject pod whose ingress rules decide.
     */
    static List<Scenario> ingress() {
        return List.of(
                // admin-network-policy-core-ingress-tcp-rules.go / admin-network-policy-standard-ingress-tcp-rules.go:
                // the subtests run in order on one policy (subject gryffindor); each swap applies to the previous
                // state. The hogwarts-staff rules and their PodSelector tests are left out (docs/conformance.md).
                new Scenario(
                        "ingress-tcp",
                        "AdminNetworkPolicyIngressTCP",
                        "CNPAdminTierIngressTCP",
                        List.of(
                                step(
                                        "0",
                                        "allow-ingress for TCP; rule ordering / at the specified port",
                                        allow(LL0, HP0, "tcp", 80),
                                        allow(LL1, HP0, "tcp", 8080),
                                        allow(CD0, HP1, "tcp", 80),
                                        deny(CD1, HP1, "tcp", 8080)),
                                step(
                                        "1",
                                        "deny-ingress for TCP; rule ordering (swap 0,1) / at the specified port",
                                        deny(LL0, HP1, "tcp", 80),
                                        deny(LL1, HP1, "tcp", 8080),
                                        deny(DM0, HP0, "tcp", 80),
                                        allow(DM1, HP0, "tcp", 8080)),
                                step(
                                        "2",
                                        "pass-ingress for TCP; rule ordering (swap 0,2)",
                                        allow(LL0, HP0, "tcp", 80),
                                        allow(LL1, HP0, "tcp", 8080)),
                                step(
                                        "3",
                                        "pass-ingress for TCP at the specified port (swap 3,4)",
                                        allow(DM0, HP0, "tcp", 80),
                                        allow(DM1, HP0, "tcp", 8080)))),
                // admin-network-policy-core-ingress-udp-rules.go / admin-network-policy-standard-ingress-udp-rules.go
                // (subject hufflepuff)
                new Scenario(
                        "ingress-udp",
                        "AdminNetworkPolicyIngressUDP",
                        "CNPAdminTierIngressUDP",
                        List.of(
                                step(
                                        "0",
                                        "allow-ingress for UDP; rule ordering / at the specified port",
                                        allow(LL0, CD0, "udp", 53),
                                        allow(LL1, CD0, "udp", 5353),
                                        allow(HP0, CD1, "udp", 53),
                                        deny(HP1, CD1, "udp", 5353)),
                                step(
                                        "1",
                                        "deny-ingress for UDP; rule ordering (swap 0,1) / at the specified port",
                                        deny(LL0, CD1, "udp", 53),
                                        deny(LL1, CD1, "udp", 5353),
                                        deny(DM0, CD0, "udp", 5353),
                                        allow(DM1, CD0, "udp", 53)),
                                step(
                                        "2",
                                        "pass-ingress for UDP; rule ordering (swap 0,2)",
                                        allow(LL0, CD1, "udp", 5353),
                                        allow(LL1, CD1, "udp", 53)),
                                step(
                                        "3",
                                        "pass-ingress for UDP at the specified port (swap 3,4)",
                                        allow(DM0, CD0, "udp", 5353),
                                        allow(DM1, CD0, "udp", 53)))),
                // admin-network-policy-core-ingress-sctp-rules.go / admin-network-policy-standard-ingress-sctp-rules.go
                // (subject ravenclaw)
                new Scenario(
                        "ingress-sctp",
                        "AdminNetworkPolicyIngressSCTP",
                        "CNPAdminTierIngressSCTP",
                        List.of(
                                step(
                                        "0",
                                        "allow-ingress for SCTP; rule ordering / at the specified port",
                                        allow(HP0, LL0, "sctp", 9003),
                                        allow(HP1, LL0, "sctp", 9005),
                                        allow(CD0, LL1, "sctp", 9003),
                                        deny(CD1, LL1, "sctp", 9005)),
                                step(
                                        "1",
                                        "deny-ingress for SCTP; rule ordering (swap 0,1) / at the specified port",
                                        deny(HP0, LL1, "sctp", 9003),
                                        deny(HP1, LL1, "sctp", 9005),
                                        deny(DM0, LL0, "sctp", 9003),
                                        allow(DM1, LL0, "sctp", 9005)),
                                step(
                                        "2",
                                        "pass-ingress for SCTP; rule ordering (swap 0,2)",
                                        allow(HP0, LL1, "sctp", 9003),
                                        allow(HP1, LL1, "sctp", 9005)),
                                step(
                                        "3",
                                        "pass-ingress for SCTP at the specified port (swap 3,4)",
                                        allow(DM0, LL0, "sctp", 9003),
                                        allow(DM1, LL0, "sctp", 9005)))),
                // admin-network-policy-standard-ingress-named-port / cluster-network-policy named port: ingress-udp as
                // applied with rule 5 on the named port "dns" (UDP 53 in the pod spec)
                new Scenario(
                        "ingress-named-port",
                        "AdminNetworkPolicyIngressNamedPort",
                        "CNPAdminTierIngressNamedPort",
                        List.of(step(
                                "0",
                                "allow-ingress for named port",
                                allow(HP0, CD1, "udp", 53),
                                deny(HP1, CD1, "udp", 5353)))),
                // baseline-admin-network-policy-core-ingress-tcp-rules.go /
                // baseline-admin-network-policy-standard-ingress-tcp-rules.go (subject gryffindor)
                new Scenario(
                        "baseline-ingress-tcp",
                        "BaselineAdminNetworkPolicyIngressTCP",
                        "CNPBaselineTierIngressTCP",
                        List.of(
                                step(
                                        "0",
                                        "allow-ingress for TCP; rule ordering / at the specified port",
                                        allow(LL0, HP0, "tcp", 80),
                                        allow(LL1, HP0, "tcp", 8080),
                                        allow(CD0, HP1, "tcp", 80),
                                        deny(CD1, HP1, "tcp", 8080)),
                                v1alpha2Step(
                                        "0",
                                        "should not affect egress traffic when only ingress rules are specified",
                                        allow(HP0, LL0, "tcp", 80),
                                        allow(HP1, DM0, "tcp", 80)),
                                step(
                                        "1",
                                        "deny-ingress for TCP; rule ordering (swap 0,1) / at the specified port",
                                        deny(LL0, HP1, "tcp", 80),
                                        deny(LL1, HP1, "tcp", 8080),
                                        deny(DM0, HP0, "tcp", 80),
                                        allow(DM1, HP0, "tcp", 8080)))),
                // baseline-admin-network-policy-core-ingress-udp-rules.go /
                // baseline-admin-network-policy-standard-ingress-udp-rules.go (subject hufflepuff)
                new Scenario(
                        "baseline-ingress-udp",
                        "BaselineAdminNetworkPolicyIngressUDP",
                        "CNPBaselineTierIngressUDP",
                        List.of(
                                step(
                                        "0",
                                        "allow-ingress for UDP; rule ordering / at the specified port",
                                        allow(LL0, CD0, "udp", 53),
                                        allow(LL1, CD0, "udp", 5353),
                                        allow(HP0, CD1, "udp", 53),
                                        deny(HP1, CD1, "udp", 5353)),
                                step(
                                        "1",
                                        "deny-ingress for UDP; rule ordering (swap 0,1) / at the specified port",
                                        deny(LL0, CD1, "udp", 53),
                                        deny(LL1, CD1, "udp", 5353),
                                        deny(DM0, CD0, "udp", 5353),
                                        allow(DM1, CD0, "udp", 53)))),
                // baseline-admin-network-policy-core-ingress-sctp-rules.go /
                // baseline-admin-network-policy-standard-ingress-sctp-rules.go (subject ravenclaw)
                new Scenario(
                        "baseline-ingress-sctp",
                        "BaselineAdminNetworkPolicyIngressSCTP",
                        "CNPBaselineTierIngressSCTP",
                        List.of(
                                step(
                                        "0",
                                        "allow-ingress for SCTP; rule ordering / at the specified port",
                                        allow(HP0, LL0, "sctp", 9003),
                                        allow(HP1, LL0, "sctp", 9005),
                                        allow(CD0, LL1, "sctp", 9003),
                                        deny(CD1, LL1, "sctp", 9005)),
                                step(
                                        "1",
                                        "deny-ingress for SCTP; rule ordering (swap 0,1) / at the specified port",
                                        deny(HP0, LL1, "sctp", 9003),
                                        deny(HP1, LL1, "sctp", 9005),
                                        deny(DM0, LL0, "sctp", 9003),
                                        allow(DM1, LL0, "sctp", 9005)))),
                // baseline-admin-network-policy-core-ingress-tcp-rules.go (named port): baseline-ingress-tcp as
                // applied with rule 3 on the named port "web" (TCP 80 in the pod spec)
                new Scenario(
                        "baseline-ingress-named-port",
                        "BaselineAdminNetworkPolicyIngressNamedPort",
                        "CNPBaselineTierIngressNamedPort",
                        List.of(step(
                                "0",
                                "allow-ingress for named port",
                                allow(CD0, HP1, "tcp", 80),
                                deny(CD1, HP1, "tcp", 8080)))),
                // the combined gress tests' ingress probes, on the files of the egress scenarios "gress" and
                // "baseline-gress"
                new Scenario(
                        "gress",
                        "AdminNetworkPolicyGress",
                        "CNPAdminTierGress",
                        List.of(
                                gressAllowIngress(),
                                gressDenyIngress(),
                                step(
                                        "2",
                                        "pass-gress across different protocols (swap 0,2): ingress",
                                        allow(LL0, HP0, "tcp", 80),
                                        allow(LL1, HP0, "udp", 53),
                                        allow(LL1, HP0, "sctp", 9003)),
                                step(
                                        "3",
                                        "pass-gress across different protocols at the specified ports (swap 3,4): ingress",
                                        allow(DM0, HP0, "tcp", 80),
                                        allow(DM1, HP0, "tcp", 8080),
                                        allow(DM0, HP0, "udp", 53),
                                        allow(DM1, HP0, "udp", 5353),
                                        allow(DM0, HP0, "sctp", 9003),
                                        allow(DM1, HP0, "sctp", 9005)))),
                new Scenario(
                        "baseline-gress",
                        "BaselineAdminNetworkPolicyGress",
                        "CNPBaselineTierGress",
                        List.of(gressAllowIngress(), gressDenyIngress())),
                // the same-priority tests' ingress probes, on the files of the egress scenarios
                new Scenario(
                        "same-priority",
                        "",
                        "CNPAdminTierSamePriority",
                        List.of(step(
                                "0",
                                "deny both ways per same-priority policy / no bleed onto another subject / no"
                                        + " policy: ingress",
                                deny(DM0, HP0, "tcp", 80),
                                deny(CD0, HP0, "tcp", 80),
                                deny(DM1, CD0, "tcp", 8080),
                                allow(DM0, HP0, "tcp", 8080),
                                allow(DM1, CD0, "tcp", 80),
                                allow(LL0, HP0, "tcp", 80)))),
                new Scenario(
                        "baseline-same-priority",
                        "",
                        "CNPBaselineTierSamePriority",
                        List.of(v1alpha2Step(
                                "0",
                                "deny both ways per same-priority policy / no bleed onto another subject / no"
                                        + " policy: ingress",
                                deny(DM0, HP1, "tcp", 80),
                                deny(CD0, HP1, "tcp", 80),
                                deny(DM1, CD1, "tcp", 8080),
                                allow(DM0, HP1, "tcp", 8080),
                                allow(DM1, CD1, "tcp", 80),
                                allow(LL0, HP1, "tcp", 80)))),
                // the isolation tests' other half: ingress rules only, the subject's egress unaffected
                new Scenario("ingress-isolation", "", "CNPAdminTierIngressRulesEgressUnaffected", isolation("ingress")),
                new Scenario(
                        "baseline-ingress-isolation",
                        "",
                        "CNPBaselineTierIngressRulesEgressUnaffected",
                        isolation("ingress")),
                // admin-network-policy-core-priority.go / admin-network-policy-standard-priority.go: the ingress
                // probes, on the files of the egress scenario "priority"
                new Scenario(
                        "priority",
                        "AdminNetworkPolicyPriorityField",
                        "CNPAdminTierPriorityField",
                        List.of(
                                step(
                                        "0",
                                        "Deny traffic from slytherin to gryffindor respecting the admin policy",
                                        deny(DM0, HP0, "tcp", 80),
                                        deny(DM1, HP0, "tcp", 8080)),
                                step(
                                        "1",
                                        "respect the priority field (60 -> 40): pass ingress to the baseline Allow",
                                        allow(DM0, HP0, "tcp", 80),
                                        allow(DM1, HP0, "tcp", 8080)))),
                // admin-network-policy-core-integration.go / admin-network-policy-standard-integration.go: the
                // ingress probes, on the files of the egress scenario "integration"
                new Scenario(
                        "integration",
                        "AdminNetworkPolicyIntegration",
                        "CNPAdminTierIntegration",
                        List.of(
                                step(
                                        "0",
                                        "Deny traffic from slytherin to gryffindor respecting the admin policy",
                                        deny(DM0, HP0, "tcp", 80),
                                        deny(DM1, HP0, "tcp", 8080)),
                                step(
                                        "1",
                                        "pass-ingress and respect the match for network policy",
                                        allow(DM0, HP0, "tcp", 80),
                                        allow(DM1, HP0, "tcp", 8080)),
                                step(
                                        "2",
                                        "pass-ingress and respect the match for the baseline (NetworkPolicy deleted)",
                                        deny(DM0, HP0, "tcp", 80),
                                        deny(DM1, HP0, "tcp", 8080)))),
                // the port-range tests' ingress subtest (see egress())
                new Scenario("port-range", "", "CNPAdminTierPortRange", portRangeIngress()),
                new Scenario("baseline-port-range", "", "CNPBaselineTierPortRange", portRangeIngress()));
    }

    /**
     * An isolation test (Admin and Baseline alike): the policy has only {@code direction} rules, denying
     * slytherin; the control probe in that direction is denied, the other direction stays open.
     */
    private static List<Step> isolation(String direction) {
        boolean ingress = direction.equals("ingress");
        return List.of(step(
                "0",
                "enforce the " + direction + " rule / the other direction unaffected (ravenclaw, hufflepuff)",
                ingress ? deny(DM0, HP0, "tcp", 80) : deny(HP0, DM0, "tcp", 80),
                ingress ? allow(HP0, LL0, "tcp", 80) : allow(LL0, HP0, "tcp", 80),
                ingress ? allow(HP0, CD0, "tcp", 80) : allow(CD0, HP0, "tcp", 80)));
    }

    /** The combined gress tests as applied, egress probes (Admin and Baseline alike). */
    private static Step gressAllowEgress() {
        return step(
                "0",
                "allow-gress across different protocols / at the specified ports: egress",
                allow(HP0, LL0, "tcp", 80),
                allow(HP1, LL0, "udp", 53),
                allow(HP0, LL0, "sctp", 9003),
                allow(HP0, CD1, "tcp", 8080),
                deny(HP1, CD1, "tcp", 80),
                allow(HP0, CD1, "udp", 5353),
                deny(HP1, CD1, "udp", 53),
                allow(HP0, CD1, "sctp", 9003),
                deny(HP1, CD1, "sctp", 9005));
    }

    /** The combined gress tests after swapping rules 0,1 of both lists, egress probes. */
    private static Step gressDenyEgress() {
        return step(
                "1",
                "deny-gress across different protocols (swap 0,1) / at the specified ports: egress",
                deny(HP0, LL1, "tcp", 80),
                deny(HP1, LL1, "udp", 53),
                deny(HP0, LL1, "sctp", 9003),
                deny(HP0, DM0, "tcp", 80),
                allow(HP1, DM0, "tcp", 8080),
                deny(HP0, DM0, "udp", 53),
                allow(HP1, DM0, "udp", 5353),
                deny(HP0, DM0, "sctp", 9003),
                allow(HP1, DM0, "sctp", 9005));
    }

    /** The combined gress tests as applied, ingress probes. */
    private static Step gressAllowIngress() {
        return step(
                "0",
                "allow-gress across different protocols / at the specified ports: ingress",
                allow(LL0, HP0, "tcp", 80),
                allow(LL1, HP0, "udp", 53),
                allow(LL1, HP0, "sctp", 9003),
                allow(CD0, HP1, "tcp", 80),
                deny(CD1, HP1, "tcp", 8080),
                allow(CD0, HP1, "udp", 5353),
                deny(CD1, HP1, "udp", 53),
                allow(CD0, HP1, "sctp", 9003),
                deny(CD1, HP1, "sctp", 9005));
    }

    /** The combined gress tests after swapping rules 0,1 of both lists, ingress probes. */
    private static Step gressDenyIngress() {
        return step(
                "1",
                "deny-gress across different protocols (swap 0,1) / at the specified ports: ingress",
                deny(LL0, HP1, "tcp", 80),
                deny(LL1, HP1, "udp", 53),
                deny(LL1, HP1, "sctp", 9003),
                deny(DM0, HP0, "tcp", 80),
                allow(DM1, HP0, "tcp", 8080),
                deny(DM0, HP0, "udp", 53),
                allow(DM1, HP0, "udp", 5353),
                deny(DM0, HP0, "sctp", 9003),
                allow(DM1, HP0, "sctp", 9005));
    }

    /** The egress subtest of the Admin and the Baseline port-range tests (subject gryffindor, one policy state). */
    private static List<Step> portRangeEgress() {
        return List.of(step(
                "0",
                "egress port range rules across different protocols",
                allow(HP0, LL0, "tcp", 80),
                allow(HP0, LL0, "tcp", 8080),
                deny(HP1, LL0, "udp", 53),
                allow(HP0, CD0, "udp", 53),
                allow(HP0, CD0, "udp", 5353),
                deny(HP1, CD0, "tcp", 80),
                allow(HP0, DM0, "sctp", 9003),
                allow(HP0, DM0, "sctp", 9005),
                deny(HP1, DM0, "tcp", 80)));
    }

    /** The ingress subtest of the Admin and the Baseline port-range tests (server harry-potter-0). */
    private static List<Step> portRangeIngress() {
        return List.of(step(
                "0",
                "ingress port range rules across different protocols",
                allow(LL0, HP0, "tcp", 80),
                allow(LL0, HP0, "tcp", 8080),
                deny(LL1, HP0, "udp", 53),
                allow(CD0, HP0, "udp", 53),
                allow(CD0, HP0, "udp", 5353),
                deny(CD1, HP0, "tcp", 80),
                allow(DM0, HP0, "sctp", 9003),
                allow(DM0, HP0, "sctp", 9005),
                deny(DM1, HP0, "tcp", 80)));
    }

    /** The same probes for the Admin and the Baseline inline-CIDR tests (both use harry-potter-1). */
    private static List<Step> inlineCidrSteps() {
        return List.of(
                step(
                        "0",
                        "deny-egress rule for egress-cidr-peer",
                        deny(HP1, LL0, "tcp", 80),
                        deny(HP1, LL0, "udp", 53),
                        deny(HP1, LL0, "sctp", 9003),
                        deny(HP1, CD0, "tcp", 80),
                        deny(HP1, CD0, "udp", 53),
                        deny(HP1, CD0, "sctp", 9003),
                        allow(HP1, DM0, "tcp", 80),
                        allow(HP1, DM0, "udp", 53),
                        allow(HP1, DM0, "sctp", 9003)),
                step(
                        "1",
                        "allow-egress rule for egress-cidr-peer (Allow to two pod IPs inserted at index 0)",
                        allow(HP1, LL0, "tcp", 80),
                        allow(HP1, LL0, "udp", 53),
                        allow(HP1, LL0, "sctp", 9003),
                        allow(HP1, CD0, "tcp", 80),
                        allow(HP1, CD0, "udp", 53),
                        allow(HP1, CD0, "sctp", 9003),
                        deny(HP1, LL1, "tcp", 80),
                        deny(HP1, LL1, "udp", 53),
                        deny(HP1, LL1, "sctp", 9003),
                        deny(HP1, CD1, "tcp", 80),
                        deny(HP1, CD1, "udp", 53),
                        deny(HP1, CD1, "sctp", 9003)));
    }
}
