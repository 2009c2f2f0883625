package io.ovsanp.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.testing.MockApiServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The status writer and its events against the CRUD mock API server, reading through real informers. */
class PolicyStatusWriterTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private ClusterWatcher watcher;
    private PolicyStatusWriter writer;
    private final AtomicBoolean leader = new AtomicBoolean(true);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05Z"));

    @BeforeEach
    void start() throws Exception {
        server = MockApiServer.crudServer();
        server.init();
        client = server.createClient();
        create("{apiVersion: v1, kind: Namespace, metadata: {name: shop, labels: {team: shop}}}");
        create("{apiVersion: v1, kind: Node, metadata: {name: w1},"
                + " status: {addresses: [{type: InternalIP, address: 192.168.0.11}]}}");
        create("{apiVersion: v1, kind: Node, metadata: {name: w2},"
                + " status: {addresses: [{type: InternalIP, address: 192.168.0.12}]}}");
        create("{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: shop, labels: {app: web}},"
                + " spec: {nodeName: w1, containers: [{name: c, image: i}]},"
                + " status: {phase: Running, podIPs: [{ip: 10.0.1.5}]}}");
        createPolicy(ClusterWatcher.ADMIN_NETWORK_POLICY, anp("good", 10, "Deny", "203.0.113.0/24"));
        createPolicy(
                ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha1,"
                        + " kind: BaselineAdminNetworkPolicy, metadata: {name: default}, spec: {subject: {namespaces: {}},"
                        + " egress: [{name: base, action: Deny, to: [{networks: [198.51.100.0/24]}]}]}}");
        watcher = ClusterWatcher.start(client);
        watcher.awaitSynced(WAIT);
        writer = new PolicyStatusWriter(
                client, PolicyObjects.of(watcher), leader::get, "default", clock, Duration.ofMillis(200));
    }

    @AfterEach
    void stop() {
        writer.close();
        watcher.close();
        client.close();
        MockApiServer.stop(server);
    }

    private static String json(String yaml) {
        return YAML.readTree(yaml).toString();
    }

    private static String anp(String name, int priority, String action, String cidr) {
        return "{apiVersion: policy.networking.k8s.io/v1alpha1, kind: AdminNetworkPolicy, metadata: {name: " + name
                + "}, spec: {priority: " + priority + ", subject: {namespaces: {matchLabels: {team: shop}}},"
                + " egress: [{name: r0, action: Allow, to: [{networks: [10.10.0.0/16]}]},"
                + " {name: second, action: " + action + ", to: [{networks: [\"" + cidr + "\"]}]}]}}";
    }

    private void create(String yaml) {
        client.resource(json(yaml)).create();
    }

    private void createPolicy(CustomResourceDefinitionContext kind, String yaml) {
        GenericKubernetesResource r =
                client.getKubernetesSerialization().unmarshal(json(yaml), GenericKubernetesResource.class);
        client.genericKubernetesResources(kind).resource(r).create();
    }

    /**
     * Validates what the informers have now and tells the writer, and compiles w1, w2 and w9, as the
     * loop does: the writer learns from each node's read set which policies apply there.
     */
    private EffectivePolicies validated() {
        ClusterSnapshot s = watcher.snapshot();
        Compilation c = Compilation.of(s);
        writer.validated(s, c.policies(), ClusterChange.EVERYTHING);
        for (String node : List.of("w1", "w2", "w9")) {
            writer.compiled(node, c.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT), Duration.ZERO);
        }
        return c.policies();
    }

    private Condition ready(CustomResourceDefinitionContext kind, String name) {
        GenericKubernetesResource r =
                client.genericKubernetesResources(kind).withName(name).get();
        Object status = r.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> m) || !(m.get("conditions") instanceof List<?> l)) {
            return null;
        }
        return l.stream()
                .map(Condition::fromMap)
                .filter(c -> c != null && c.type().equals(PolicyStatusWriter.READY))
                .findFirst()
                .orElse(null);
    }

    private Condition awaitReady(CustomResourceDefinitionContext kind, String name, Predicate<Condition> p)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Condition c = ready(kind, name);
        while ((c == null || !p.test(c)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            c = ready(kind, name);
        }
        return c;
    }

    /** Every request the mock server received since the last call, as {@code METHOD path}. */
    private List<String> requests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    /** Waits until the informer cache shows {@code name}'s Ready condition, so comparisons see it. */
    private void awaitCached(String name) throws InterruptedException {
        awaitCached(io.ovsanp.compiler.policy.Tier.ADMIN, name);
    }

    /** Until the informer has the policy with a status (else the writer reads it from the API: a GET). */
    private void awaitCached(io.ovsanp.compiler.policy.Tier tier, String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var o = watcher.policyObject(tier.kind(), name);
            if (o.isPresent() && o.get().getAdditionalProperties().get("status") != null) {
                return;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void validPolicyAndBaselineBecomeReady() throws Exception {
        validated();
        Condition anp = awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> true);
        assertThat(anp).isNotNull();
        assertThat(anp.status()).isEqualTo("True");
        assertThat(anp.reason()).isEqualTo("Realised");
        assertThat(anp.observedGeneration()).isEqualTo(1);
        assertThat(anp.lastTransitionTime()).isEqualTo("2026-01-02T03:04:05Z");
        Condition banp = awaitReady(ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY, "default", c -> true);
        assertThat(banp.status()).isEqualTo("True");
        assertThat(client.v1().events().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void invalidRuleMakesOnlyItsPolicyNotReadyNamesTheRuleAndEmitsOneEvent() throws Exception {
        createPolicy(ClusterWatcher.ADMIN_NETWORK_POLICY, anp("broken", 20, "Deny", "10.0.0.0/33"));
        awaitSnapshotHas("broken");
        EffectivePolicies p = validated();
        assertThat(p.diagnostics()).anyMatch(d -> d.object().name().equals("broken"));
        Condition broken = awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "broken", c -> true);
        assertThat(broken.status()).isEqualTo("False");
        assertThat(broken.reason()).isEqualTo("InvalidRules");
        assertThat(broken.message()).contains("spec.egress[1] \"second\"").contains("10.0.0.0/33");
        assertThat(awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> true)
                        .status())
                .isEqualTo("True");

        writer.drain(WAIT); // the events of a flush follow its status writes
        List<Event> events = client.v1().events().inNamespace("default").list().getItems();
        assertThat(events).hasSize(1);
        Event e = events.get(0);
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getReason()).isEqualTo("InvalidRule");
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("AdminNetworkPolicy");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("broken");
        assertThat(e.getInvolvedObject().getUid()).isNotEmpty();
        assertThat(e.getMessage()).startsWith("spec.egress[1]").contains("10.0.0.0/33");

        // Recompiles of the same problem: no second event, and (once the cache has our write) no write.
        awaitCached("broken");
        awaitCached("good");
        writer.drain(WAIT);
        requests();
        for (int i = 0; i < 5; i++) {
            validated();
        }
        writer.drain(WAIT);
        assertThat(requests()).noneMatch(r -> !r.startsWith("GET "));
        assertThat(client.v1().events().inNamespace("default").list().getItems())
                .hasSize(1);
    }

    @Test
    void anInvalidIngressRuleIsNamedByItsOwnPathAndEmitsAnInvalidRuleEvent() throws Exception {
        createPolicy(
                ClusterWatcher.ADMIN_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha1, kind: AdminNetworkPolicy, metadata: {name: guard},"
                        + " spec: {priority: 21, subject: {namespaces: {matchLabels: {team: shop}}},"
                        + " ingress: [{name: from-all, action: Allow, from: [{namespaces: {}}]},"
                        + " {name: bad-port, action: Deny, from: [{namespaces: {}}],"
                        + " ports: [{portNumber: {protocol: TCP, port: 70000}}]}]}}");
        awaitSnapshotHas("guard");
        validated();
        Condition guard = awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "guard", c -> true);
        assertThat(guard.status()).isEqualTo("False");
        assertThat(guard.reason()).isEqualTo("InvalidRules");
        assertThat(guard.message()).contains("spec.ingress[1] \"bad-port\"").contains("70000");
        writer.drain(WAIT);
        List<Event> events = client.v1().events().inNamespace("default").list().getItems();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("InvalidRule");
            assertThat(e.getMessage()).startsWith("spec.ingress[1]");
        });
    }

    /**
     * A policy with an ingress rule (enforced) and an egress peer of a kind ovs-anp does not know (not
     * enforced); a domainNames peer is enforced (learned from DNS answers).
     */
    @Test
    void unenforcedPartsAreNotHiddenBehindReadyTrue() throws Exception {
        createPolicy(
                ClusterWatcher.ADMIN_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha1, kind: AdminNetworkPolicy, metadata: {name: inbound},"
                        + " spec: {priority: 30, subject: {namespaces: {matchLabels: {team: shop}}},"
                        + " ingress: [{name: no-scrape, action: Deny, from: [{namespaces: {}}]}],"
                        + " egress: [{name: out, action: Deny, to: [{networks: [203.0.113.0/24]}]},"
                        + " {name: future, action: Allow, to: [{services: [{name: x}]}]},"
                        + " {name: fqdn, action: Allow, to: [{domainNames: [example.com]}]}]}}");
        awaitSnapshotHas("inbound");
        validated();
        Condition c = awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "inbound", x -> true);
        assertThat(c.status()).isEqualTo("False");
        assertThat(c.reason()).isEqualTo("NotEnforced");
        assertThat(c.message())
                .startsWith("not enforced: spec.egress[1]")
                .contains("unsupported peer")
                .doesNotContain("spec.egress[2]") // the domainNames rule is enforced
                .doesNotContain("ingress");
        assertThat(awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", x -> true)
                        .status())
                .isEqualTo("True");
        writer.drain(WAIT);
        List<Event> events = client.v1().events().inNamespace("default").list().getItems();
        // the unknown field is also an invalid field of the rule
        assertThat(events).extracting(Event::getReason).containsExactlyInAnyOrder("NotEnforced", "InvalidRule");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getInvolvedObject().getName()).isEqualTo("inbound");
            assertThat(e.getInvolvedObject().getFieldPath()).startsWith("spec.egress[1].to[0]");
        });

        // The unknown peer's rule removed: Ready again, the ingress and domainNames rules realised.
        GenericKubernetesResource r = client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                .withName("inbound")
                .get();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
                (Map<String, Object>) r.getAdditionalProperties().get("spec");
        ((List<?>) spec.get("egress")).remove(1);
        client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                .resource(r)
                .update();
        awaitGeneration("inbound", 2);
        validated();
        Condition after = awaitReady(
                ClusterWatcher.ADMIN_NETWORK_POLICY, "inbound", x -> x.status().equals("True"));
        assertThat(after.reason()).isEqualTo("Realised");
    }

    @Test
    void clusterNetworkPoliciesGetTheSameConditionsAndEvents() throws Exception {
        createPolicy(
                ClusterWatcher.CLUSTER_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha2, kind: ClusterNetworkPolicy, metadata: {name: tenants},"
                        + " spec: {tier: Admin, priority: 40, subject: {namespaces: {matchLabels: {team: shop}}},"
                        + " egress: [{name: out, action: Deny, to: [{networks: [203.0.113.0/24]}]}]}}");
        createPolicy(
                ClusterWatcher.CLUSTER_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha2, kind: ClusterNetworkPolicy, metadata: {name: scrape},"
                        + " spec: {tier: Baseline, priority: 5, subject: {namespaces: {}},"
                        + " ingress: [{name: only-monitoring, action: Deny, from: [{namespaces: {}}]}],"
                        + " egress: [{name: wide, action: Accept, to: [{networks: [10.0.0.0/33]}]},"
                        + " {name: future, action: Accept, to: [{services: [{name: x}]}]},"
                        + " {name: fqdn, action: Accept, to: [{domainNames: [example.com]}]}]}}");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (watcher.snapshot().adminPolicies().stream()
                                .filter(p -> p.ref().kind().equals("ClusterNetworkPolicy"))
                                .count()
                        < 2
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        validated();
        Condition ok = awaitReady(ClusterWatcher.CLUSTER_NETWORK_POLICY, "tenants", x -> true);
        assertThat(ok.status()).isEqualTo("True");
        assertThat(ok.reason()).isEqualTo("Realised");
        Condition bad = awaitReady(ClusterWatcher.CLUSTER_NETWORK_POLICY, "scrape", x -> true);
        assertThat(bad.status()).isEqualTo("False");
        assertThat(bad.reason()).isEqualTo("NotEnforced"); // the most serious of the two
        assertThat(bad.message())
                .contains("not enforced: spec.egress[1]")
                .contains("unsupported peer")
                .doesNotContain("spec.egress[2]") // the domainNames rule is enforced
                .contains("10.0.0.0/33");
        writer.drain(WAIT);
        List<Event> events = client.v1().events().inNamespace("default").list().getItems();
        assertThat(events)
                .extracting(Event::getReason)
                .containsExactlyInAnyOrder("NotEnforced", "InvalidRule", "InvalidRule");
        assertThat(events)
                .noneSatisfy(
                        e -> assertThat(e.getInvolvedObject().getFieldPath()).startsWith("spec.egress[2]"));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("ClusterNetworkPolicy");
            assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("policy.networking.k8s.io/v1alpha2");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("scrape");
        });
    }

    @Test
    void nodeFailureIsNamedOnPoliciesWithSubjectsThereAndClearedOnConvergence() throws Exception {
        validated();
        Condition first = awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> true);
        assertThat(first.status()).isEqualTo("True");
        clock.set(Instant.parse("2026-01-02T04:00:00Z"));
        writer.failed("w1", "the switch refused the bundle: OFPBAC_BAD_OUT_PORT in table=3 ...");
        writer.failed("w2", "the switch is not connected");
        Condition failed = awaitReady(
                ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> c.status().equals("False"));
        assertThat(failed.reason()).isEqualTo("RealisationFailed");
        assertThat(failed.message())
                .contains("realisation failed on 1 node: w1 (the switch refused the bundle")
                .doesNotContain("w2"); // no subject pod of "good" runs on w2
        assertThat(failed.lastTransitionTime()).isEqualTo("2026-01-02T04:00:00Z");

        clock.set(Instant.parse("2026-01-02T05:00:00Z"));
        writer.converged("w1", null, Duration.ZERO);
        Condition back = awaitReady(
                ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> c.status().equals("True"));
        assertThat(back.reason()).isEqualTo("Realised");
        assertThat(back.lastTransitionTime()).isEqualTo("2026-01-02T05:00:00Z");
    }

    /**
     * A switch verify found unequal makes the policies on its node not Ready, and a convergence does not
     * clear that (an out-of-band flow that is not ovs-anp's stays through it): only an equal
     * verification does.
     */
    @Test
    void aSwitchFoundUnequalIsNamedUntilAVerificationFindsItEqual() throws Exception {
        validated();
        assertThat(awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> true)
                        .status())
                .isEqualTo("True");
        writer.verified(
                "w1",
                io.ovsanp.controller.run.VerifyOutcome.of(
                        new io.ovsanp.compiler.verify.VerifyResult("w1", 1000, 12, 80, List.of()),
                        Duration.ofMillis(40)));
        Condition unequal = awaitReady(
                ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> c.status().equals("False"));
        assertThat(unequal.reason()).isEqualTo("RealisationFailed");
        assertThat(unequal.message())
                .contains("w1 (the switch's flows differ from the policies in 12 of 1000 cells (ovs-anp verify))");
        writer.converged("w1", null, Duration.ZERO);
        writer.requestFlush();
        writer.drain(Duration.ofSeconds(10));
        assertThat(awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> true)
                        .status())
                .isEqualTo("False");
        assertThat(writer.unequalNodes()).containsOnlyKeys("w1");
        // a verification that could not read the switch decides nothing
        writer.verified("w1", io.ovsanp.controller.run.VerifyOutcome.failed("flow dump timed out", Duration.ZERO));
        assertThat(writer.unequalNodes()).containsOnlyKeys("w1");

        writer.verified(
                "w1",
                io.ovsanp.controller.run.VerifyOutcome.of(
                        new io.ovsanp.compiler.verify.VerifyResult("w1", 1000, 0, 80, List.of()),
                        Duration.ofMillis(40)));
        assertThat(awaitReady(
                                ClusterWatcher.ADMIN_NETWORK_POLICY,
                                "good",
                                c -> c.status().equals("True"))
                        .reason())
                .isEqualTo("Realised");
        assertThat(writer.unequalNodes()).isEmpty();
    }

    @Test
    void unchangedStatusIsNotWrittenAgainAndTransitionTimeStays() throws Exception {
        validated();
        awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> true);
        awaitCached("good");
        awaitCached(io.ovsanp.compiler.policy.Tier.BASELINE, "default");
        writer.drain(WAIT);
        requests();
        clock.set(Instant.parse("2026-01-03T00:00:00Z"));
        validated();
        writer.failed("w9", "not a node of any subject");
        writer.converged("w1", null, Duration.ZERO);
        writer.drain(WAIT);
        assertThat(requests()).isEmpty();

        // A spec change bumps the generation: observedGeneration follows, the transition time does not.
        GenericKubernetesResource good = client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                .withName("good")
                .get();
        ((Map<String, Object>) good.getAdditionalProperties().get("spec")).put("priority", 11);
        client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                .resource(good)
                .update();
        awaitGeneration("good", 2);
        validated();
        Condition c = awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", x -> x.observedGeneration() == 2);
        assertThat(c.observedGeneration()).isEqualTo(2);
        assertThat(c.lastTransitionTime()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(requests())
                .filteredOn(r -> r.startsWith("PUT "))
                .containsExactly(
                        "PUT /apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies/good",
                        "PUT /apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies/good/status");
    }

    @Test
    void standbyWritesNothingUntilItMayAndIsAskedToFlush() throws Exception {
        leader.set(false);
        requests();
        validated();
        writer.failed("w1", "x");
        writer.drain(WAIT);
        assertThat(requests()).noneMatch(r -> !r.startsWith("GET "));
        assertThat(ready(ClusterWatcher.ADMIN_NETWORK_POLICY, "good")).isNull();
        leader.set(true);
        writer.requestFlush();
        assertThat(awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> true)
                        .status())
                .isEqualTo("False");
    }

    /** Agent mode's writer sees one node: Ready says validity only, never a node's failure. */
    @Test
    void agentModesWriterSaysValidityOnlyAndNamesWhereNodeFailuresAreTold() throws Exception {
        writer.close();
        writer = new PolicyStatusWriter(
                client, PolicyObjects.of(watcher), leader::get, "default", clock, Duration.ofMillis(200), false);
        createPolicy(ClusterWatcher.ADMIN_NETWORK_POLICY, anp("broken", 20, "Deny", "10.0.0.0/33"));
        awaitSnapshotHas("broken");
        validated();
        writer.failed("w1", "the switch refused the bundle");
        Condition good = awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "good", c -> true);
        assertThat(good.status()).isEqualTo("True");
        assertThat(good.reason()).isEqualTo("RulesValid");
        assertThat(good.message()).contains("RealisationFailed event");
        Condition broken = awaitReady(ClusterWatcher.ADMIN_NETWORK_POLICY, "broken", c -> true);
        assertThat(broken.status()).isEqualTo("False");
        assertThat(broken.reason()).isEqualTo("InvalidRules");
        assertThat(broken.message()).doesNotContain("w1");
    }

    @Test
    void aFailingNodeGivesEachPolicyThereOneWarningPerEpisodeAndANormalEventOnRecovery() throws Exception {
        try (NodeRealisationEvents events =
                new NodeRealisationEvents(client, "default", leader::get, clock, Duration.ofMillis(200))) {
            ClusterSnapshot s = watcher.snapshot();
            Compilation c = Compilation.of(s);
            events.validated(s, c.policies(), ClusterChange.EVERYTHING);
            for (String node : List.of("w1", "w2")) {
                events.compiled(node, c.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT), Duration.ZERO);
            }
            events.failed("w1", "the switch refused the bundle: OFPBAC_BAD_OUT_PORT");
            events.failed("w1", "the switch refused bundle 2: OFPBAC_BAD_OUT_PORT"); // a retry: same episode
            events.failed("w2", "the switch is not connected"); // no policy applies on w2
            events.drain(WAIT);
            List<Event> failed = nodeEvents("RealisationFailed");
            assertThat(failed)
                    .extracting(e -> e.getInvolvedObject().getName())
                    .containsExactlyInAnyOrder("good", "default");
            assertThat(failed).allSatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).isEqualTo("node w1: the switch refused the bundle: OFPBAC_BAD_OUT_PORT");
                assertThat(e.getSource().getHost()).isEqualTo("w1");
                assertThat(e.getInvolvedObject().getUid()).isNotEmpty();
            });

            events.converged("w1", null, Duration.ZERO);
            events.converged("w2", null, Duration.ZERO);
            events.drain(WAIT);
            assertThat(nodeEvents("Realised"))
                    .extracting(e -> e.getInvolvedObject().getName())
                    .containsExactlyInAnyOrder("good", "default");
            assertThat(nodeEvents("Realised"))
                    .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Normal"));

            // a new episode of the same failure is told again
            clock.set(Instant.parse("2026-01-02T06:00:00Z"));
            events.failed("w1", "the switch refused the bundle: OFPBAC_BAD_OUT_PORT");
            events.drain(WAIT);
            assertThat(nodeEvents("RealisationFailed")).hasSize(4);
        }
    }

    @Test
    void nodeEventsWaitWhileAnotherProcessReports() throws Exception {
        leader.set(false);
        try (NodeRealisationEvents events =
                new NodeRealisationEvents(client, "default", leader::get, clock, Duration.ofMillis(200))) {
            ClusterSnapshot s = watcher.snapshot();
            events.validated(s, Compilation.of(s).policies(), ClusterChange.EVERYTHING);
            events.failed("w1", "compile failed: x"); // no read set yet: every policy is told
            events.drain(WAIT);
            assertThat(nodeEvents("RealisationFailed")).isEmpty();
            leader.set(true);
            events.requestFlush();
            events.drain(WAIT);
            assertThat(nodeEvents("RealisationFailed"))
                    .extracting(e -> e.getInvolvedObject().getName())
                    .containsExactlyInAnyOrder("good", "default");
        }
    }

    private List<Event> nodeEvents(String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> e.getReason().equals(reason))
                .toList();
    }

    private void awaitSnapshotHas(String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (watcher.snapshot().adminPolicies().stream()
                        .noneMatch(p -> p.ref().name().equals(name))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private void awaitGeneration(String name, long gen) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var o = watcher.policyObject(io.ovsanp.compiler.policy.Tier.ADMIN.kind(), name);
            if (o.isPresent() && o.get().getMetadata().getGeneration() == gen) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
