package io.ovsanp.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.Simulator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@code domainNames} peer on the switch (docs/architecture.md, "Names learned from DNS"): before a
 * pod learned an address it compiles to no flow and the connection falls to the rules below
 * (fail-closed); a pod's learned addresses open the rule for that pod only; the subjects' DNS answers
 * are held for the controller. The evaluator with the same resolver states agrees, cell by cell.
 */
class DomainNamesCompileTest {
    @Test
    void aDomainNamesAllowCompilesToNothingAndTheDenyBelowHolds() {
        PodInfo web = new PodInfo(
                "shop", "web", "n1", false, List.of(IpAddress.parse("10.244.1.10")), Map.of("app", "web"), List.of());
        ClusterSnapshot snapshot = cluster(List.of(web), "0.0.0.0/0");
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        assertThat(policies.admin().get(0).rules()).hasSize(2);
        CompileResult r = Compiler.compile(snapshot, policies, "n1", Allocation.EMPTY, CompileOptions.DEFAULT);
        RuleCookies rules = RuleCookies.of(r);
        assertThat(rules.select("fqdn", java.util.OptionalInt.of(0)))
                .as("the rule is numbered")
                .isNotEmpty();
        long ruleId = rules.select("fqdn", java.util.OptionalInt.of(0)).get(0).ruleId();
        assertThat(r.flows().flows())
                .as("no flow realises the domainNames rule")
                .noneMatch(f -> f.cookie().ruleId() == ruleId);

        Simulator sim = new Simulator(r.flows());
        Evaluator evaluator = new Evaluator(snapshot, policies);
        for (String dst : List.of("203.0.113.10", "10.10.0.5")) {
            assertThat(sim.run(SimPacket.tcp("10.244.1.10", dst, 443), TableId.of(0))
                            .allowed())
                    .as(dst)
                    .isFalse();
            assertThat(evaluator
                            .evaluate(Packet.tcp(IpAddress.parse("10.244.1.10"), IpAddress.parse(dst), 443))
                            .allowed())
                    .as("evaluator " + dst)
                    .isFalse();
        }
    }

    @Test
    void aPodsLearnedAddressesOpenTheRuleForThatPodOnly() {
        PodInfo web = new PodInfo(
                "shop",
                "web",
                "n1",
                false,
                List.of(IpAddress.parse("10.244.1.10"), IpAddress.parse("fd00:10:244::10")),
                Map.of("app", "web"),
                List.of());
        PodInfo db = new PodInfo(
                "shop", "db", "n1", false, List.of(IpAddress.parse("10.244.1.11")), Map.of("app", "db"), List.of());
        ClusterSnapshot snapshot = cluster(List.of(db, web), "0.0.0.0/0", "::/0");
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        // web asked over IPv4 and learned both families; the intranet name is no rule's.
        io.ovsanp.compiler.dns.ResolverStates learned = io.ovsanp.compiler.dns.ResolverStates.of(Map.of(
                IpAddress.parse("10.244.1.10"),
                io.ovsanp.compiler.dns.ResolverState.EMPTY
                        .with(
                                "www.internet.example",
                                List.of(IpAddress.parse("203.0.113.10"), IpAddress.parse("2001:db8:113::10")))
                        .with("intranet.example", List.of(IpAddress.parse("10.10.0.5")))));
        CompileResult r = Compiler.compile(snapshot, policies, "n1", Allocation.EMPTY, CompileOptions.DEFAULT, learned);
        long ruleId = RuleCookies.of(r)
                .select("fqdn", java.util.OptionalInt.of(0))
                .get(0)
                .ruleId();
        assertThat(r.flows().flows())
                .as("the learned addresses are the rule's flows")
                .anyMatch(f -> f.cookie().ruleId() == ruleId);
        String text = io.ovsanp.compiler.ofctl.OfctlRenderer.renderAll(r.flows(), CompileOptions.DEFAULT.pipeline());
        assertThat(text)
                .as("DNS answers to every subject's addresses are held for the controller")
                .contains(
                        "table=2,priority=25,cookie=0x101a500000000,ct_state=-new+est+rpl+trk,udp,nw_dst=10.244.1.10,"
                                + "tp_src=53 actions=controller(pause),goto_table:10",
                        "ct_state=-new+est+rpl+trk,tcp6,ipv6_dst=fd00:10:244::10,tp_src=53 actions=controller(pause)",
                        "ct_state=-new+est+rpl+trk,udp,nw_dst=10.244.1.11,tp_src=53 actions=controller(pause)");
        assertThat(Compiler.compile(
                                snapshot,
                                policies,
                                "n1",
                                Allocation.EMPTY,
                                CompileOptions.DEFAULT.withInterceptDns(false),
                                learned)
                        .flows()
                        .flows())
                .as("no interception without a controller to resume")
                .noneMatch(f -> f.actions().contains(io.ovsanp.compiler.flow.FlowAction.Pause.WHOLE));
        Simulator sim = new Simulator(r.flows());
        Evaluator evaluator = new Evaluator(snapshot, policies, io.ovsanp.compiler.cluster.ServiceVips.NONE, learned);
        record Case(String src, String dst, int port, boolean allowed) {}
        for (Case c : List.of(
                new Case("10.244.1.10", "203.0.113.10", 443, true),
                new Case("fd00:10:244::10", "2001:db8:113::10", 443, true),
                new Case("10.244.1.10", "203.0.113.10", 80, false),
                new Case("10.244.1.10", "10.10.0.5", 443, false),
                new Case("10.244.1.11", "203.0.113.10", 443, false))) {
            assertThat(sim.run(SimPacket.tcp(c.src(), c.dst(), c.port()), TableId.of(0))
                            .allowed())
                    .as("flows: " + c)
                    .isEqualTo(c.allowed());
            assertThat(evaluator
                            .evaluate(Packet.tcp(IpAddress.parse(c.src()), IpAddress.parse(c.dst()), c.port()))
                            .allowed())
                    .as("evaluator: " + c)
                    .isEqualTo(c.allowed());
        }
        CompileResult again = Compiler.compile(snapshot, policies, "n1", r.allocation(), CompileOptions.DEFAULT);
        assertThat(sim(again)
                        .run(SimPacket.tcp("10.244.1.10", "203.0.113.10", 443), TableId.of(0))
                        .allowed())
                .as("forgotten: denied again")
                .isFalse();
    }

    /**
     * One node n1 with {@code pods}, and the ANP "fqdn": allow *.internet.example on TCP 443, then deny
     * {@code denied}.
     */
    private static ClusterSnapshot cluster(List<PodInfo> pods, String... denied) {
        AdminPolicy fqdn = new AdminPolicy(
                new ObjectRef(Tier.ADMIN.kind(), "", "fqdn", "uid-fqdn", SourceRef.NONE),
                Tier.ADMIN,
                1,
                Subject.ALL,
                List.of(
                        new Rule(
                                0,
                                "internet-example",
                                Action.ALLOW,
                                List.of(new Peer.DomainNames(List.of("*.internet.example"))),
                                List.of(new PortMatch.Number(Protocol.TCP, 443))),
                        new Rule(1, "rest", Action.DENY, List.of(new Peer.Networks(List.of(denied))), List.of())),
                List.of());
        return new ClusterSnapshot(
                List.of(),
                pods,
                List.of(new NodeInfo("n1", Map.of(), List.of(IpAddress.parse("172.18.0.1")))),
                List.of(),
                List.of(),
                List.of(fqdn),
                List.of(),
                List.of());
    }

    private static Simulator sim(CompileResult r) {
        return new Simulator(r.flows());
    }
}
