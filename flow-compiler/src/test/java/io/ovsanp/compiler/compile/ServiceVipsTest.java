package io.ovsanp.compiler.compile;

import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.banp;
import static io.ovsanp.compiler.testing.TestClusters.cluster;
import static io.ovsanp.compiler.testing.TestClusters.ip;
import static io.ovsanp.compiler.testing.TestClusters.labels;
import static io.ovsanp.compiler.testing.TestClusters.networkPolicy;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.SimResult;
import io.ovsanp.compiler.sim.Simulator;
import io.ovsanp.compiler.testing.PoliciesBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pre-DNAT mode: the apiserver's ClusterIP 10.96.0.1 (and fd00:96::1), service port https TCP 443 →
 * endpoint port 6443, on two control-plane nodes. Every case is checked three ways: the reference
 * evaluator's verdict, the compiled flows run through the simulator (they must agree), and the
 * expected verdict.
 */
class ServiceVipsTest {
    static final IpAddress CLIENT = ip("10.0.2.1");
    static final IpAddress CLIENT6 = ip("fd00::2:1");
    static final IpAddress VIP = ip("10.96.0.1");
    static final IpAddress VIP6 = ip("fd00:96::1");

    /** cp1 and cp2 run the apiserver (host network); w1 runs the client; pod api is a non-host-network endpoint. */
    static final ClusterSnapshot BASE = cluster()
            .namespace("dev")
            .label("env", "dev")
            .and()
            .pod("dev", "client", "10.0.2.1", "fd00::2:1")
            .label("app", "client")
            .on("w1")
            .and()
            .pod("kube-system", "api", "10.0.9.1")
            .label("app", "api")
            .on("w1")
            .port("https", Protocol.TCP, 6443)
            .and()
            .hostNetworkPod("kube-system", "kube-apiserver-cp1", "cp1", "192.168.0.1")
            .label("app", "api")
            .port("https", Protocol.TCP, 6443)
            .and()
            .node("cp1", "192.168.0.1", "fd00::c1")
            .label("node-role.kubernetes.io/control-plane", "")
            .label("kubernetes.io/hostname", "cp1")
            .and()
            .node("cp2", "192.168.0.2")
            .label("node-role.kubernetes.io/control-plane", "")
            .label("kubernetes.io/hostname", "cp2")
            .and()
            .node("w1", "192.168.0.3")
            .label("kubernetes.io/hostname", "w1")
            .and()
            .build();

    static final ServiceInfo.ServicePort HTTPS = new ServiceInfo.ServicePort("https", Protocol.TCP, 443, "6443");
    static final ServiceInfo KUBERNETES = new ServiceInfo("default", "kubernetes", List.of(VIP, VIP6), List.of(HTTPS));

    static EndpointSliceInfo slice(String name, int port, String... addresses) {
        return slice("default", "kubernetes", name, "https", port, addresses);
    }

    static EndpointSliceInfo slice(String ns, String svc, String name, String portName, int port, String... addresses) {
        return new EndpointSliceInfo(
                ns,
                name,
                svc,
                List.of(addresses).stream().map(IpAddress::parse).toList(),
                List.of(new EndpointSliceInfo.EndpointPort(portName, Protocol.TCP, port)));
    }

    /** The base cluster with the kubernetes Service on both control-plane nodes (and cp1's IPv6). */
    static ClusterSnapshot apiserverOnBothNodes() {
        return with(
                List.of(KUBERNETES),
                List.of(
                        slice("kubernetes", 6443, "192.168.0.1", "192.168.0.2"),
                        slice("kubernetes-v6", 6443, "fd00::c1")));
    }

    static ClusterSnapshot with(List<ServiceInfo> services, List<EndpointSliceInfo> slices) {
        return new ClusterSnapshot(
                BASE.namespaces(), BASE.pods(), BASE.nodes(), services, slices, List.of(), List.of(), List.of());
    }

    static CompileResult compile(ClusterSnapshot s, EffectivePolicies p, ServiceVips vips) {
        return Compiler.compile(s, p, "w1", Allocation.EMPTY, CompileOptions.DEFAULT.withServiceVips(vips));
    }

    /** The evaluator's verdict, after checking that the compiled flows give the same one. */
    static Verdict check(ClusterSnapshot s, PoliciesBuilder pb, ServiceVips vips, Packet packet) {
        EffectivePolicies p = pb.build();
        Verdict v = new Evaluator(s, p, vips).evaluate(packet);
        CompileResult r = compile(s, p, vips);
        SimResult sim = new Simulator(r.flows())
                .run(
                        SimPacket.ip(
                                packet.src().toString(),
                                packet.dst().toString(),
                                packet.proto().number(),
                                packet.proto().hasPorts() ? packet.dstPort() : -1),
                        new TableId(0));
        assertThat(sim.allowed())
                .as(
                        "%s%n%s%nflows:%n%s",
                        v.explain(),
                        sim.traceText(),
                        OfctlRenderer.renderAll(r.flows(), CompileOptions.DEFAULT.pipeline()))
                .isEqualTo(v.allowed());
        return v;
    }

    static Verdict check(ClusterSnapshot s, PoliciesBuilder pb, Packet packet) {
        return check(s, pb, ServiceVips.PRE_DNAT, packet);
    }

    static Packet toApiserver() {
        return Packet.tcp(CLIENT, VIP, 443);
    }

    /** Everything else is denied by the baseline, so an Allow that reaches the ClusterIP is visible. */
    static PoliciesBuilder allowThenBaselineDeny(
            java.util.function.Consumer<io.ovsanp.compiler.testing.RuleBuilder> r) {
        return policies().admin(anp("apiserver", 5).allow("api", r)).baseline(banp().deny("all", x -> {}));
    }

    static final io.ovsanp.compiler.policy.LabelSelector CONTROL_PLANE =
            labels("node-role.kubernetes.io/control-plane", "");

    @Test
    void allowToNodesCoveringEveryEndpointAllowsTheClusterIpOnTheServicePort() {
        PoliciesBuilder p = allowThenBaselineDeny(r -> r.toNodes(CONTROL_PLANE).tcp(6443));
        Verdict v = check(apiserverOnBothNodes(), p, toApiserver());
        assertThat(v.allowed()).isTrue();
        assertThat(v.tier()).contains(Tier.ADMIN);
        assertThat(v.serviceVip()).contains("pre-DNAT ClusterIP 10.96.0.1 TCP/443 of Service default/kubernetes");
        assertThat(v.describe())
                .endsWith("(Allow) via pre-DNAT ClusterIP 10.96.0.1 TCP/443 of Service default/kubernetes");
        assertThat(v.trace())
                .anyMatch(
                        l -> l.contains("all 2 of 2 endpoint(s) covered (192.168.0.1 TCP/6443, 192.168.0.2 TCP/6443)"));
        // The endpoint itself is allowed directly, and other ports of the ClusterIP are not mapped.
        assertThat(check(apiserverOnBothNodes(), p, Packet.tcp(CLIENT, ip("192.168.0.2"), 6443))
                        .serviceVip())
                .isEmpty();
        assertThat(check(apiserverOnBothNodes(), p, Packet.tcp(CLIENT, VIP, 6443))
                        .allowed())
                .isFalse();
        assertThat(check(apiserverOnBothNodes(), p, Packet.udp(CLIENT, VIP, 443))
                        .allowed())
                .isFalse();
        assertThat(check(apiserverOnBothNodes(), p, Packet.icmp(CLIENT, VIP)).allowed())
                .isFalse();
    }

    @Test
    void withoutPreDnatTheClusterIpIsJustAnAddress() {
        PoliciesBuilder p = allowThenBaselineDeny(r -> r.toNodes(CONTROL_PLANE).tcp(6443));
        Verdict v = check(apiserverOnBothNodes(), p, ServiceVips.NONE, toApiserver());
        assertThat(v.allowed()).isFalse();
        assertThat(v.tier()).contains(Tier.BASELINE);
        assertThat(compile(apiserverOnBothNodes(), p.build(), ServiceVips.NONE).flows().flows().stream())
                .noneMatch(f -> OfctlRenderer.render(f).contains("10.96.0.1"));
    }

    @Test
    void allowCoveringOnlySomeEndpointsDoesNotReachTheClusterIp() {
        PoliciesBuilder p = allowThenBaselineDeny(
                r -> r.toNodes(labels("kubernetes.io/hostname", "cp1")).tcp(6443));
        Verdict v = check(apiserverOnBothNodes(), p, toApiserver());
        assertThat(v.allowed()).isFalse();
        assertThat(v.tier()).contains(Tier.BASELINE);
        assertThat(v.trace()).anyMatch(l -> l.contains("\"api\" (Allow): destination does not match"));
    }

    @Test
    void denyCoveringAnyEndpointDeniesTheClusterIp() {
        PoliciesBuilder p = policies()
                .admin(anp("block", 5)
                        .deny(
                                "cp1",
                                r -> r.toNodes(labels("kubernetes.io/hostname", "cp1"))
                                        .tcp(6443)));
        Verdict v = check(apiserverOnBothNodes(), p, toApiserver());
        assertThat(v.allowed()).isFalse();
        assertThat(v.trace()).anyMatch(l -> l.contains("1 of 2 endpoint(s) covered (192.168.0.1 TCP/6443)"));
        assertThat(v.serviceVip()).isPresent();
    }

    @Test
    void passCoveringAnyEndpointPassesTheClusterIp() {
        // Without the mapping the Pass does not match and the next ANP allows the ClusterIP directly.
        PoliciesBuilder p = policies()
                .admin(
                        anp("pass", 1)
                                .pass("cp2", r -> r.toNetworks("192.168.0.2/32").tcp(6443)),
                        anp("allow", 2).allow("vip", r -> r.toNetworks("10.96.0.1/32")))
                .baseline(banp().deny("all", r -> {}));
        Verdict pre = check(apiserverOnBothNodes(), p, toApiserver());
        assertThat(pre.allowed()).isFalse();
        assertThat(pre.passedBy()).isPresent();
        assertThat(pre.tier()).contains(Tier.BASELINE);
        assertThat(pre.trace()).anyMatch(l -> l.contains("(Pass): matches via pre-DNAT ClusterIP 10.96.0.1"));
        Verdict none = check(apiserverOnBothNodes(), p, ServiceVips.NONE, toApiserver());
        assertThat(none.allowed()).isTrue();
        assertThat(none.passedBy()).isEmpty();
    }

    @Test
    void networksCoveringEveryEndpointAllowTheClusterIp() {
        assertThat(check(
                                apiserverOnBothNodes(),
                                allowThenBaselineDeny(
                                        r -> r.toNetworks("192.168.0.0/30").range(Protocol.TCP, 6000, 7000)),
                                toApiserver())
                        .allowed())
                .isTrue();
        assertThat(check(
                                apiserverOnBothNodes(),
                                allowThenBaselineDeny(
                                        r -> r.toNetworks("192.168.0.2/32").tcp(6443)),
                                toApiserver())
                        .allowed())
                .isFalse();
    }

    @Test
    void podPeersCoverNonHostNetworkEndpointsOnly() {
        PoliciesBuilder p = allowThenBaselineDeny(
                r -> r.toPods(labels(), labels("app", "api")).tcp(6443));
        ClusterSnapshot onPod = with(List.of(KUBERNETES), List.of(slice("kubernetes", 6443, "10.0.9.1")));
        assertThat(check(onPod, p, toApiserver()).allowed()).isTrue();
        // The kube-apiserver pod on cp1 is host-network: never a pod peer, so the Allow does not cover it.
        ClusterSnapshot onHost = with(List.of(KUBERNETES), List.of(slice("kubernetes", 6443, "192.168.0.1")));
        assertThat(check(onHost, p, toApiserver()).allowed()).isFalse();
        PoliciesBuilder byNamespace =
                allowThenBaselineDeny(r -> r.toNamespaces(labels("kubernetes.io/metadata.name", "kube-system")));
        assertThat(check(onPod, byNamespace, toApiserver()).allowed()).isTrue();
        assertThat(check(onHost, byNamespace, toApiserver()).allowed()).isFalse();
    }

    @Test
    void namedPortsResolveAgainstTheEndpointPod() {
        ClusterSnapshot onPod = with(List.of(KUBERNETES), List.of(slice("kubernetes", 6443, "10.0.9.1")));
        PoliciesBuilder https = allowThenBaselineDeny(
                r -> r.toPods(labels(), labels("app", "api")).named("https"));
        assertThat(check(onPod, https, toApiserver()).serviceVip()).isPresent();
        PoliciesBuilder other = allowThenBaselineDeny(
                r -> r.toPods(labels(), labels("app", "api")).named("metrics"));
        assertThat(check(onPod, other, toApiserver()).allowed()).isFalse();
    }

    @Test
    void aRuleOnTheServicePortAloneDoesNotCoverTheEndpoint() {
        // Policies speak of endpoints: TCP 443 on the control-plane nodes is not where 10.96.0.1:443 leads.
        PoliciesBuilder p = policies()
                .admin(anp("block", 5).deny("cp", r -> r.toNodes(CONTROL_PLANE).tcp(443)));
        Verdict v = check(apiserverOnBothNodes(), p, toApiserver());
        assertThat(v.allowed()).isTrue();
        assertThat(v.reason()).isEqualTo(Verdict.NO_RULE_MATCHED);
    }

    @Test
    void namedTargetPortsMayResolveToDifferentEndpointPortsPerSlice() {
        ServiceInfo named = new ServiceInfo(
                "default",
                "kubernetes",
                List.of(VIP),
                List.of(new ServiceInfo.ServicePort("https", Protocol.TCP, 443, "https")));
        ClusterSnapshot s = with(
                List.of(named),
                List.of(slice("kubernetes-a", 6443, "192.168.0.1"), slice("kubernetes-b", 8443, "192.168.0.2")));
        assertThat(check(s, allowThenBaselineDeny(r -> r.toNodes(CONTROL_PLANE).tcp(6443)), toApiserver())
                        .allowed())
                .isFalse();
        assertThat(check(
                                s,
                                allowThenBaselineDeny(
                                        r -> r.toNodes(CONTROL_PLANE).tcp(6443).tcp(8443)),
                                toApiserver())
                        .allowed())
                .isTrue();
        Verdict deny = check(
                s,
                policies()
                        .admin(anp("b", 5)
                                .deny("b", r -> r.toNodes(CONTROL_PLANE).tcp(8443))),
                toApiserver());
        assertThat(deny.allowed()).isFalse();
        assertThat(deny.trace()).anyMatch(l -> l.contains("1 of 2 endpoint(s) covered (192.168.0.2 TCP/8443)"));
    }

    @Test
    void eachServicePortMapsToItsOwnEndpointPort() {
        ServiceInfo twoPorts = new ServiceInfo(
                "default",
                "kubernetes",
                List.of(VIP),
                List.of(HTTPS, new ServiceInfo.ServicePort("metrics", Protocol.TCP, 8080, "10259")));
        EndpointSliceInfo slice = new EndpointSliceInfo(
                "default",
                "kubernetes",
                "kubernetes",
                List.of(ip("192.168.0.1")),
                List.of(
                        new EndpointSliceInfo.EndpointPort("https", Protocol.TCP, 6443),
                        new EndpointSliceInfo.EndpointPort("metrics", Protocol.TCP, 10259)));
        ClusterSnapshot s = with(List.of(twoPorts), List.of(slice));
        PoliciesBuilder p = policies()
                .admin(anp("m", 5).deny("metrics", r -> r.toNodes(CONTROL_PLANE).tcp(10259)));
        assertThat(check(s, p, Packet.tcp(CLIENT, VIP, 8080)).allowed()).isFalse();
        assertThat(check(s, p, toApiserver()).allowed()).isTrue();
    }

    @Test
    void aClusterIpLeadsOnlyToEndpointsOfItsFamily() {
        PoliciesBuilder nodes =
                allowThenBaselineDeny(r -> r.toNodes(CONTROL_PLANE).tcp(6443));
        assertThat(check(apiserverOnBothNodes(), nodes, Packet.tcp(CLIENT6, VIP6, 443))
                        .allowed())
                .isTrue();
        PoliciesBuilder v4Only =
                allowThenBaselineDeny(r -> r.toNetworks("192.168.0.0/24").tcp(6443));
        assertThat(check(apiserverOnBothNodes(), v4Only, toApiserver()).allowed())
                .isTrue();
        assertThat(check(apiserverOnBothNodes(), v4Only, Packet.tcp(CLIENT6, VIP6, 443))
                        .allowed())
                .isFalse();
        // No IPv6 endpoints: a Deny covering the IPv4 ones leaves the IPv6 ClusterIP alone.
        ClusterSnapshot v4Endpoints = with(List.of(KUBERNETES), List.of(slice("kubernetes", 6443, "192.168.0.1")));
        PoliciesBuilder deny = policies()
                .admin(anp("d", 5).deny("cp", r -> r.toNodes(CONTROL_PLANE).tcp(6443)));
        assertThat(check(v4Endpoints, deny, toApiserver()).allowed()).isFalse();
        assertThat(check(v4Endpoints, deny, Packet.tcp(CLIENT6, VIP6, 443)).allowed())
                .isTrue();
    }

    @Test
    void withoutEndpointsNothingIsAddedAndNothingWarns() {
        ClusterSnapshot s = with(List.of(KUBERNETES), List.of());
        PoliciesBuilder deny = policies().admin(anp("d", 5).deny("all-nodes", r -> r.toNodes(labels())));
        assertThat(check(s, deny, toApiserver()).allowed()).isTrue();
        CompileResult r = compile(s, deny.build(), ServiceVips.PRE_DNAT);
        assertThat(r.flows().flows().stream())
                .noneMatch(f -> OfctlRenderer.render(f).contains("10.96.0.1"));
        assertThat(r.diagnostics()).isEmpty();
    }

    @Test
    void endpointsThatMoveChangeTheFlowsOnTheNextCompile() {
        PoliciesBuilder p = allowThenBaselineDeny(
                r -> r.toNodes(labels("kubernetes.io/hostname", "cp1")).tcp(6443));
        ClusterSnapshot before = with(List.of(KUBERNETES), List.of(slice("kubernetes", 6443, "192.168.0.1")));
        ClusterSnapshot after = with(List.of(KUBERNETES), List.of(slice("kubernetes", 6443, "192.168.0.2")));
        assertThat(check(before, p, toApiserver()).allowed()).isTrue();
        assertThat(check(after, p, toApiserver()).allowed()).isFalse();
        CompileResult first = compile(before, p.build(), ServiceVips.PRE_DNAT);
        CompileResult second = Compiler.compile(
                after,
                p.build(),
                "w1",
                first.allocation(),
                CompileOptions.DEFAULT.withServiceVips(ServiceVips.PRE_DNAT));
        FlowDiff d = FlowDiff.between(first.flows(), second.flows());
        assertThat(d.adds()).isEmpty();
        assertThat(d.modifies()).isEmpty();
        // One flow per subject pod on w1 (client and api) for the ClusterIP; the endpoint's own flows stay.
        assertThat(d.deletes())
                .extracting(OfctlRenderer::render)
                .hasSize(2)
                .allSatisfy(f ->
                        assertThat(f).contains(",nw_dst=10.96.0.1,tp_dst=443 ").endsWith("actions=goto_table:6"))
                .anySatisfy(f -> assertThat(f).contains("nw_src=10.0.2.1"));
    }

    @Test
    void aRuleThatAlreadyMatchesTheClusterIpGetsNoSecondFlow() {
        PoliciesBuilder p = policies()
                .admin(anp("d", 5)
                        .deny(
                                "both",
                                r -> r.toNetworks("10.96.0.0/12", "192.168.0.0/24")
                                        .tcp(443)
                                        .tcp(6443)));
        Verdict v = check(apiserverOnBothNodes(), p, toApiserver());
        assertThat(v.allowed()).isFalse();
        assertThat(v.serviceVip()).isEmpty();
        List<Flow> none = compile(apiserverOnBothNodes(), p.build(), ServiceVips.NONE).flows().flows().stream()
                .toList();
        List<Flow> pre = compile(apiserverOnBothNodes(), p.build(), ServiceVips.PRE_DNAT).flows().flows().stream()
                .toList();
        assertThat(pre).isEqualTo(none);
    }

    @Test
    void networkPolicyRulesAreAllowRulesForTheMapping() {
        PoliciesBuilder p = policies()
                .networkPolicy(networkPolicy("dev", "egress")
                        .allow(r -> r.toNetworks("192.168.0.0/24").tcp(6443)));
        Verdict v = check(apiserverOnBothNodes(), p, toApiserver());
        assertThat(v.allowed()).isTrue();
        assertThat(v.tier()).contains(Tier.NETWORK_POLICY);
        assertThat(v.serviceVip()).isPresent();
        assertThat(check(apiserverOnBothNodes(), p, Packet.tcp(CLIENT6, VIP6, 443))
                        .allowed())
                .isFalse();
    }

    @Test
    void onlyTheApiserverIsMappedUnlessEveryServiceIs() {
        ServiceInfo web = new ServiceInfo(
                "dev",
                "web",
                List.of(ip("10.96.0.50")),
                List.of(new ServiceInfo.ServicePort("http", Protocol.TCP, 80, "8080")));
        ClusterSnapshot s = with(
                List.of(KUBERNETES, web),
                List.of(
                        slice("kubernetes", 6443, "192.168.0.1"),
                        slice("dev", "web", "web-x", "http", 8080, "10.0.9.1")));
        PoliciesBuilder p = policies().admin(anp("d", 5).deny("api-pod", r -> r.toNetworks("10.0.9.1/32")));
        Packet toWeb = Packet.tcp(CLIENT, ip("10.96.0.50"), 80);
        assertThat(check(s, p, ServiceVips.PRE_DNAT, toWeb).allowed()).isTrue();
        assertThat(check(s, p, new ServiceVips(ServiceVips.Mode.PRE_DNAT, true), toWeb)
                        .allowed())
                .isFalse();
        assertThat(new ServiceVips(ServiceVips.Mode.NONE, true).appliesTo(web)).isFalse();
    }

    @Test
    void aMissingApiserverServiceOrAMisnamedSlicePortIsAWarning() {
        EffectivePolicies p = policies().build();
        List<Diagnostic> missing = compile(BASE, p, ServiceVips.PRE_DNAT).diagnostics();
        assertThat(missing).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.render()).contains("Service/default/kubernetes").contains("not in the snapshot");
        });
        assertThat(compile(BASE, p, ServiceVips.NONE).diagnostics()).isEmpty();
        ClusterSnapshot misnamed = with(
                List.of(KUBERNETES), List.of(slice("default", "kubernetes", "kubernetes", "", 6443, "192.168.0.1")));
        assertThat(compile(misnamed, p, ServiceVips.PRE_DNAT).diagnostics())
                .singleElement()
                .satisfies(d -> assertThat(d.render())
                        .contains("spec.ports[0]")
                        .contains("no EndpointSlice port is named \"https\""));
    }

    @Test
    void backendsFollowTheSlicePortNamedAfterTheServicePort() {
        ClusterSnapshot s = with(
                List.of(KUBERNETES),
                List.of(
                        slice("kubernetes", 6443, "192.168.0.1", "192.168.0.2"),
                        slice("kubernetes-dup", 6443, "192.168.0.2"),
                        slice("default", "other", "other", "https", 1, "192.168.0.3"),
                        slice("kube-system", "kubernetes", "elsewhere", "https", 2, "192.168.0.3")));
        assertThat(ServiceVips.backends(s, KUBERNETES, HTTPS, IpFamily.V4))
                .extracting(ServiceVips.Backend::toString)
                .containsExactly("192.168.0.1 TCP/6443", "192.168.0.2 TCP/6443");
        assertThat(ServiceVips.backends(s, KUBERNETES, HTTPS, IpFamily.V6)).isEmpty();
        ServiceInfo.ServicePort udp = new ServiceInfo.ServicePort("https", Protocol.UDP, 443, "6443");
        assertThat(ServiceVips.backends(s, KUBERNETES, udp, IpFamily.V4)).isEmpty();
    }

    @Test
    void parsesTheCommandLineValues() {
        assertThat(ServiceVips.parse("none")).contains(ServiceVips.NONE);
        assertThat(ServiceVips.parse(" Pre-DNAT ")).contains(ServiceVips.PRE_DNAT);
        assertThat(ServiceVips.parse("post-dnat")).isEmpty();
        assertThat(ServiceVips.parse(null)).isEmpty();
        assertThat(ServiceVips.PRE_DNAT.mode().cliName()).isEqualTo("pre-dnat");
        assertThat(CompileOptions.DEFAULT.serviceVips()).isEqualTo(ServiceVips.NONE);
        assertThatThrownBy(() -> new ServiceVips(null, false)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void onlyARuleVerdictCanComeThroughAClusterIp() {
        List<String> trace = new ArrayList<>();
        assertThatThrownBy(() -> new Verdict(
                        true,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        Verdict.NO_RULE_MATCHED,
                        List.of(),
                        Optional.empty(),
                        trace,
                        Optional.of("pre-DNAT ClusterIP 10.96.0.1 TCP/443 of Service default/kubernetes")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
