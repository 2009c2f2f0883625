package io.ovsanp.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.LabelSelector;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompilerTest {
    static PodInfo pod(String ns, String name, String node, String ip, ContainerPort... ports) {
        return new PodInfo(ns, name, node, false, List.of(IpAddress.parse(ip)), Map.of("app", name), List.of(ports));
    }

    static AdminPolicy anp(String name, int priority, Rule... rules) {
        return new AdminPolicy(
                new ObjectRef(Tier.ADMIN.kind(), "", name, "uid-" + name, SourceRef.NONE),
                Tier.ADMIN,
                priority,
                Subject.ALL,
                List.of(rules),
                List.of());
    }

    static ClusterSnapshot snapshot(List<PodInfo> pods, List<AdminPolicy> policies) {
        return new ClusterSnapshot(
                List.of(),
                pods,
                List.of(new NodeInfo("n1", Map.of(), List.of(IpAddress.parse("172.18.0.1")))),
                List.of(),
                List.of(),
                policies,
                List.of(),
                List.of());
    }

    static Rule rule(int index, Action action, List<Peer> peers, List<PortMatch> ports) {
        return new Rule(index, "r" + index, action, peers, ports);
    }

    private static List<Flow> table(CompileResult r, String name) {
        return r.flows().table(PipelineSpec.standalone().id(name));
    }

    @Test
    void ruleWith50Sources25CidrsAnd10PortsCosts86Flows() {
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < 50; i++)
            pods.add(pod("a", "p" + i, "n1", "10.244.0." + (2 * i + 1))); // odd: no two aggregate
        List<String> cidrs = new ArrayList<>();
        for (int i = 0; i < 25; i++) cidrs.add("192.168." + (2 * i) + ".0/24");
        List<PortMatch> ports = new ArrayList<>();
        for (int i = 0; i < 10; i++) ports.add(new PortMatch.Number(Protocol.TCP, 1000 + 7 * i));
        ClusterSnapshot s =
                snapshot(pods, List.of(anp("big", 10, rule(0, Action.DENY, List.of(new Peer.Networks(cidrs)), ports))));

        CompileResult r = Compiler.compile(s, "n1", Allocation.EMPTY);

        RuleStats stats = r.stats().rules().get(0);
        assertThat(stats.flows()).isEqualTo(86);
        assertThat(stats.crossProduct()).isEqualTo(12_500);
        assertThat(table(r, PipelineSpec.ADMIN_EGRESS)).hasSize(87); // + the miss flow
    }

    @Test
    void singleElementDimensionsBecomeOnePlainFlow() {
        ClusterSnapshot s = snapshot(
                List.of(pod("a", "web", "n1", "10.244.0.1")),
                List.of(anp(
                        "one",
                        1,
                        rule(
                                0,
                                Action.DENY,
                                List.of(new Peer.Networks(List.of("203.0.113.0/24"))),
                                List.of(new PortMatch.Number(Protocol.UDP, 53))))));
        List<Flow> admin = table(Compiler.compile(s, "n1", Allocation.EMPTY), PipelineSpec.ADMIN_EGRESS);
        assertThat(admin).hasSize(2);
        Flow f = admin.get(0);
        assertThat(f.actions()).isEmpty();
        assertThat(f.match().has(Field.IPV4_SRC)).isTrue();
        assertThat(f.match().has(Field.IPV4_DST)).isTrue();
        assertThat(f.match().has(Field.TP_DST)).isTrue();
    }

    @Test
    void podsOnOtherNodesAndHostNetworkPodsGetNoSubjectFlows() {
        PodInfo host = new PodInfo("a", "h", "n1", true, List.of(IpAddress.parse("172.18.0.1")), Map.of(), List.of());
        ClusterSnapshot s = snapshot(
                List.of(pod("a", "far", "n2", "10.244.9.1"), host),
                List.of(anp(
                        "x", 1, rule(0, Action.DENY, List.of(new Peer.Networks(List.of("0.0.0.0/0"))), List.of()))));
        assertThat(table(Compiler.compile(s, "n1", Allocation.EMPTY), PipelineSpec.ADMIN_EGRESS))
                .hasSize(1);
        assertThat(table(Compiler.compile(s, "n2", Allocation.EMPTY), PipelineSpec.ADMIN_EGRESS))
                .hasSize(2);
    }

    @Test
    void clauseFlowsSharedByNamedPortGroupsAreMergedIntoOneFlow() {
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < 5; i++) pods.add(pod("a", "src" + i, "n1", "10.244.0." + (2 * i + 1)));
        pods.add(pod("b", "d1", "n2", "10.244.1.1", new ContainerPort("http", Protocol.TCP, 8080)));
        pods.add(pod("b", "d2", "n2", "10.244.1.3", new ContainerPort("http", Protocol.TCP, 8080)));
        pods.add(pod("b", "d3", "n2", "10.244.1.5", new ContainerPort("http", Protocol.TCP, 8081)));
        pods.add(pod("b", "d4", "n2", "10.244.1.7", new ContainerPort("http", Protocol.TCP, 8081)));
        Peer toB = new Peer.Pods(LabelSelector.of(Map.of("kubernetes.io/metadata.name", "b")), LabelSelector.ALL);
        AdminPolicy p = new AdminPolicy(
                new ObjectRef(Tier.ADMIN.kind(), "", "named", "u", SourceRef.NONE),
                Tier.ADMIN,
                1,
                new Subject(LabelSelector.of(Map.of("kubernetes.io/metadata.name", "a")), LabelSelector.ALL),
                List.of(rule(0, Action.ALLOW, List.of(toB), List.of(new PortMatch.Named("http", Optional.empty())))),
                List.of());
        CompileResult r = Compiler.compile(snapshot(pods, List.of(p)), "n1", Allocation.EMPTY);
        List<Flow> srcClauses = table(r, PipelineSpec.ADMIN_EGRESS).stream()
                .filter(f -> f.match().has(Field.IPV4_SRC) && f.isClause())
                .toList();
        assertThat(srcClauses).hasSize(5);
        assertThat(srcClauses).allSatisfy(f -> assertThat(f.actions()).hasSize(2)); // two groups: 8080 and 8081
    }

    @Test
    void namedPortThatResolvesToNothingMatchesNothing() {
        Peer toAll = new Peer.Namespaces(LabelSelector.ALL);
        ClusterSnapshot s = snapshot(
                List.of(pod("a", "web", "n1", "10.244.0.1"), pod("a", "db", "n1", "10.244.0.2")),
                List.of(anp(
                        "x",
                        1,
                        rule(
                                0,
                                Action.ALLOW,
                                List.of(toAll),
                                List.of(new PortMatch.Named("nope", Optional.empty()))))));
        CompileResult r = Compiler.compile(s, "n1", Allocation.EMPTY);
        assertThat(table(r, PipelineSpec.ADMIN_EGRESS)).hasSize(1);
        assertThat(r.diagnostics()).anySatisfy(d -> assertThat(d.message()).contains("match nothing"));
    }

    @Test
    void ipv4AndIpv6GetSeparateConjunctions() {
        List<PodInfo> duals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            duals.add(new PodInfo(
                    "a",
                    "web" + i,
                    "n1",
                    false,
                    List.of(IpAddress.parse("10.244.0." + (2 * i + 1)), IpAddress.parse("fd00::" + (2 * i + 1))),
                    Map.of(),
                    List.of()));
        }
        ClusterSnapshot s = snapshot(
                duals,
                List.of(anp(
                        "x",
                        1,
                        rule(
                                0,
                                Action.DENY,
                                List.of(new Peer.Networks(List.of("0.0.0.0/0", "::/0"))),
                                List.of(
                                        new PortMatch.Number(Protocol.TCP, 22),
                                        new PortMatch.Number(Protocol.TCP, 80))))));
        CompileResult r = Compiler.compile(s, "n1", Allocation.EMPTY);
        List<Flow> conjIds = table(r, PipelineSpec.ADMIN_EGRESS).stream()
                .filter(f -> f.match().has(Field.CONJ_ID))
                .toList();
        assertThat(conjIds).hasSize(2);
        assertThat(conjIds.get(0).match()).isNotEqualTo(conjIds.get(1).match());
    }

    @Test
    void eachRuleGetsItsOwnPriorityInPrecedenceOrder() {
        ClusterSnapshot s = snapshot(
                List.of(pod("a", "web", "n1", "10.244.0.1")),
                List.of(
                        anp(
                                "later",
                                20,
                                rule(0, Action.ALLOW, List.of(new Peer.Networks(List.of("10.0.0.0/8"))), List.of())),
                        anp(
                                "first",
                                10,
                                rule(0, Action.DENY, List.of(new Peer.Networks(List.of("10.1.0.0/16"))), List.of()),
                                rule(1, Action.PASS, List.of(new Peer.Networks(List.of("10.2.0.0/16"))), List.of()))));
        CompileResult r = Compiler.compile(s, "n1", Allocation.EMPTY);
        List<RuleStats> rules = r.stats().rules();
        assertThat(rules).extracting(rs -> rs.rule().policy().name()).containsExactly("first", "first", "later");
        assertThat(rules.get(0).priority()).isGreaterThan(rules.get(1).priority());
        assertThat(rules.get(1).priority()).isGreaterThan(rules.get(2).priority());
    }

    @Test
    void sameInputGivesTheSameFlowsAndRecompilingWithTheAllocationChangesNothing() {
        ClusterSnapshot s = snapshot(
                List.of(pod("a", "web", "n1", "10.244.0.1"), pod("a", "w2", "n1", "10.244.0.2")),
                List.of(anp(
                        "x",
                        1,
                        rule(
                                0,
                                Action.DENY,
                                List.of(new Peer.Networks(List.of("1.0.0.0/8", "2.0.0.0/8"))),
                                List.of(new PortMatch.Range(Protocol.TCP, 1000, 2000))))));
        CompileResult a = Compiler.compile(s, "n1", Allocation.EMPTY);
        CompileResult b = Compiler.compile(s, "n1", Allocation.EMPTY);
        CompileResult c = Compiler.compile(s, "n1", a.allocation());
        assertThat(b.flows()).isEqualTo(a.flows());
        assertThat(c.flows()).isEqualTo(a.flows());
        assertThat(c.allocation()).isEqualTo(a.allocation());
    }

    @Test
    void addingAPolicyKeepsTheOtherRulesFlowsUnchanged() {
        List<PodInfo> pods = List.of(pod("a", "web", "n1", "10.244.0.1"), pod("a", "w2", "n1", "10.244.0.2"));
        AdminPolicy x = anp(
                "x",
                10,
                rule(
                        0,
                        Action.DENY,
                        List.of(new Peer.Networks(List.of("1.0.0.0/8", "2.0.0.0/8"))),
                        List.of(new PortMatch.Number(Protocol.TCP, 80), new PortMatch.Number(Protocol.TCP, 443))));
        AdminPolicy y = anp(
                "y",
                5,
                rule(
                        0,
                        Action.ALLOW,
                        List.of(new Peer.Networks(List.of("3.0.0.0/8", "4.0.0.0/8"))),
                        List.of(new PortMatch.Number(Protocol.UDP, 53), new PortMatch.Number(Protocol.UDP, 54))));
        CompileResult before = Compiler.compile(snapshot(pods, List.of(x)), "n1", Allocation.EMPTY);
        CompileResult after = Compiler.compile(snapshot(pods, List.of(x, y)), "n1", before.allocation());
        assertThat(after.flows().flows()).containsAll(before.flows().flows());
        assertThat(after.flows().size()).isGreaterThan(before.flows().size());
    }

    @Test
    void passJumpsToTheNetworkPolicyTableAndAllowToCommit() {
        ClusterSnapshot s = snapshot(
                List.of(pod("a", "web", "n1", "10.244.0.1")),
                List.of(anp(
                        "x",
                        1,
                        rule(0, Action.PASS, List.of(new Peer.Networks(List.of("10.1.0.0/16"))), List.of()),
                        rule(1, Action.ALLOW, List.of(new Peer.Networks(List.of("10.2.0.0/16"))), List.of()))));
        List<Flow> admin = table(Compiler.compile(s, "n1", Allocation.EMPTY), PipelineSpec.ADMIN_EGRESS);
        PipelineSpec p = PipelineSpec.standalone();
        assertThat(admin.get(0).actions())
                .containsExactly(new FlowAction.GotoTable(p.id(PipelineSpec.NETWORK_POLICY_EGRESS)));
        assertThat(admin.get(1).actions()).containsExactly(new FlowAction.GotoTable(p.id(PipelineSpec.EGRESS_COMMIT)));
    }

    @Test
    void namedPortWithAProtocolIgnoresContainerPortsOfAnotherProtocol() {
        List<PodInfo> pods = List.of(
                pod("a", "src", "n1", "10.244.0.1"),
                pod("b", "tcpdns", "n2", "10.244.1.1", new ContainerPort("dns", Protocol.TCP, 53)),
                pod("b", "udpdns", "n2", "10.244.1.3", new ContainerPort("dns", Protocol.UDP, 53)));
        io.ovsanp.compiler.policy.NetworkPolicy np = new io.ovsanp.compiler.policy.NetworkPolicy(
                new ObjectRef("NetworkPolicy", "a", "np", "", SourceRef.NONE),
                LabelSelector.ALL,
                true,
                List.of(new Rule(
                        0,
                        "",
                        Action.ALLOW,
                        List.of(),
                        List.of(new PortMatch.Named("dns", Optional.of(Protocol.UDP))))),
                List.of());
        ClusterSnapshot s = new ClusterSnapshot(
                List.of(), pods, List.of(), List.of(), List.of(), List.of(), List.of(np), List.of());
        List<Flow> npFlows = table(Compiler.compile(s, "n1", Allocation.EMPTY), PipelineSpec.NETWORK_POLICY_EGRESS);
        List<String> allows = npFlows.stream()
                .filter(f -> !f.actions().isEmpty() && f.priority().value() > 10)
                .map(f -> f.match().toString())
                .toList();
        assertThat(allows).hasSize(1);
        assertThat(allows.get(0)).contains("nw_proto=0x11").contains("nw_dst=0xaf40103");
    }

    @Test
    void ipv6NeighbourDiscoveryIsNotJudgedButEverythingElseIs() {
        PodInfo dual = new PodInfo(
                "a",
                "web",
                "n1",
                false,
                List.of(IpAddress.parse("10.244.0.1"), IpAddress.parse("fd00::1")),
                Map.of(),
                List.of());
        ClusterSnapshot s = snapshot(
                List.of(dual),
                List.of(anp("x", 1, rule(0, Action.DENY, List.of(new Peer.Networks(List.of("::/0"))), List.of()))));
        io.ovsanp.compiler.sim.Simulator sim = new io.ovsanp.compiler.sim.Simulator(
                Compiler.compile(s, "n1", Allocation.EMPTY).flows());
        io.ovsanp.compiler.flow.TableId start = new io.ovsanp.compiler.flow.TableId(0);
        assertThat(sim.run(io.ovsanp.compiler.sim.SimPacket.ip("fd00::1", "ff02::1:ff00:2", 58, -1), start)
                        .allowed())
                .as("neighbour solicitation")
                .isTrue();
        assertThat(sim.run(io.ovsanp.compiler.sim.SimPacket.ip("fd00::1", "fd00::2", 58, -1), start)
                        .allowed())
                .isFalse();
        assertThat(sim.run(io.ovsanp.compiler.sim.SimPacket.tcp("fd00::1", "2001:db8::1", 443), start)
                        .allowed())
                .isFalse();
    }
}
