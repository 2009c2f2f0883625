package io.ovsanp.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ClusterUpdate;
import io.ovsanp.compiler.cluster.KindChange;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.testing.MockApiServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

class ClusterWatcherTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void startServer() {
        server = MockApiServer.crudServer();
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stopServer() {
        client.close();
        MockApiServer.stop(server);
    }

    /** {@code yaml} in flow style; the client would take a leading brace for JSON. */
    private static String json(String yaml) {
        return YAML.readTree(yaml).toString();
    }

    private void create(String yaml) {
        client.resource(json(yaml)).create();
    }

    private void createPolicy(CustomResourceDefinitionContext kind, String yaml) {
        GenericKubernetesResource r =
                client.getKubernetesSerialization().unmarshal(json(yaml), GenericKubernetesResource.class);
        client.genericKubernetesResources(kind).resource(r).create();
    }

    private static ClusterSnapshot eventually(ClusterWatcher w, Predicate<ClusterSnapshot> ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ClusterSnapshot s = w.snapshot();
        while (!ready.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            s = w.snapshot();
        }
        return s;
    }

    private void seed() {
        create("{apiVersion: v1, kind: Namespace, metadata: {name: web, labels: {team: a}}}");
        create("{apiVersion: v1, kind: Node, metadata: {name: n1, labels: {zone: z1}},"
                + " status: {addresses: [{type: InternalIP, address: 192.168.0.11}]}}");
        create("{apiVersion: v1, kind: Pod, metadata: {name: p1, namespace: web, labels: {app: x}},"
                + " spec: {nodeName: n1, containers: [{name: c, image: i}]},"
                + " status: {phase: Running, podIPs: [{ip: 10.0.0.5}]}}");
        create("{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: np1, namespace: web},"
                + " spec: {podSelector: {}, policyTypes: [Egress], egress: []}}");
        createPolicy(
                ClusterWatcher.ADMIN_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha1, kind: AdminNetworkPolicy,"
                        + " metadata: {name: anp1}, spec: {priority: 10, subject: {namespaces: {}},"
                        + " egress: [{name: deny-nodes, action: Deny,"
                        + " to: [{nodes: {matchLabels: {zone: z1}}}]}]}}");
        createPolicy(
                ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha1, kind: BaselineAdminNetworkPolicy,"
                        + " metadata: {name: default}, spec: {subject: {namespaces: {}},"
                        + " egress: [{name: allow-all, action: Allow, to: [{networks: [0.0.0.0/0]}]}]}}");
    }

    @Test
    void objectsCreatedThroughTheApiAppearInTheSnapshotWithTheirFields() throws Exception {
        seed();
        try (ClusterWatcher w = ClusterWatcher.start(client)) {
            w.awaitSynced(Duration.ofSeconds(10));
            ClusterSnapshot s = w.snapshot();
            assertThat(s.namespaces()).anySatisfy(ns -> {
                assertThat(ns.name()).isEqualTo("web");
                assertThat(ns.labels()).containsEntry("team", "a");
            });
            assertThat(s.nodes())
                    .containsExactly(new NodeInfo(
                            "n1", Map.of("zone", "z1"), java.util.List.of(IpAddress.parse("192.168.0.11"))));
            assertThat(s.pods()).singleElement().satisfies(p -> {
                assertThat(p.name()).isEqualTo("p1");
                assertThat(p.nodeName()).isEqualTo("n1");
                assertThat(p.ips()).containsExactly(IpAddress.parse("10.0.0.5"));
            });
            assertThat(s.networkPolicies())
                    .singleElement()
                    .satisfies(np -> assertThat(np.ref().name()).isEqualTo("np1"));
            assertThat(s.adminPolicies()).hasSize(2);
            AdminPolicy anp = s.adminPolicies().get(0);
            assertThat(anp.tier()).isEqualTo(Tier.ADMIN);
            assertThat(anp.ref().name()).isEqualTo("anp1");
            assertThat(anp.priority()).isEqualTo(10);
            assertThat(anp.readProblems()).isEmpty();
            assertThat(anp.egress())
                    .singleElement()
                    .satisfies(r -> assertThat(r.name()).isEqualTo("deny-nodes"));
            assertThat(s.adminPolicies().get(1).tier()).isEqualTo(Tier.BASELINE);
            assertThat(w.snapshot()).isEqualTo(s);
        }
    }

    @Test
    void aNodeLabelChangeFiresOnChangeAndShowsInTheNextSnapshot() throws Exception {
        seed();
        try (ClusterWatcher w = ClusterWatcher.start(client)) {
            w.awaitSynced(Duration.ofSeconds(10));
            // A node seen through the watch proves it open (the mock server replays nothing).
            create("{apiVersion: v1, kind: Node, metadata: {name: probe}}");
            assertThat(eventually(w, x -> x.nodes().size() == 2).nodes()).hasSize(2);
            CountDownLatch changed = new CountDownLatch(1);
            w.onChange(changed::countDown);
            client.nodes().withName("n1").edit(n -> {
                n.getMetadata().getLabels().put("zone", "z2");
                return n;
            });
            assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
            ClusterSnapshot s =
                    eventually(w, x -> "z2".equals(x.nodes().get(0).labels().get("zone")));
            assertThat(s.nodes().get(0).labels()).containsEntry("zone", "z2");
        }
    }

    @Test
    void aNodesDatapathIdAnnotationReachesTheSnapshotAndFollowsItsChanges() throws Exception {
        seed();
        try (ClusterWatcher w = ClusterWatcher.start(client)) {
            w.awaitSynced(Duration.ofSeconds(10));
            create("{apiVersion: v1, kind: Node, metadata: {name: n2,"
                    + " annotations: {ovs-anp.io/datapath-id: \"0000000000000A02\"}}}");
            ClusterSnapshot s = eventually(w, x -> x.node("n2").isPresent());
            assertThat(s.node("n2").orElseThrow().datapathIdAnnotation()).contains("0000000000000A02");
            assertThat(s.node("n1").orElseThrow().datapathIdAnnotation()).isEmpty();

            client.nodes().withName("n2").edit(n -> {
                n.getMetadata().getAnnotations().put(NodeInfo.DATAPATH_ID_ANNOTATION, "0000000000000b02");
                return n;
            });
            s = eventually(
                    w,
                    x -> x.node("n2")
                            .orElseThrow()
                            .datapathIdAnnotation()
                            .equals(java.util.Optional.of("0000000000000b02")));
            assertThat(s.node("n2").orElseThrow().datapathIdAnnotation()).contains("0000000000000b02");
        }
    }

    @Test
    void aDeletedAdminNetworkPolicyLeavesTheSnapshot() throws Exception {
        seed();
        try (ClusterWatcher w = ClusterWatcher.start(client)) {
            w.awaitSynced(Duration.ofSeconds(10));
            assertThat(w.snapshot().adminPolicies()).hasSize(2);
            // The mock server does not replay events from the list's resourceVersion: a delete sent
            // before the watch is open would be lost. An object seen through the watch proves it open.
            createPolicy(
                    ClusterWatcher.ADMIN_NETWORK_POLICY,
                    "{apiVersion: policy.networking.k8s.io/v1alpha1, kind: AdminNetworkPolicy,"
                            + " metadata: {name: probe}, spec: {priority: 20, subject: {namespaces: {}}}}");
            assertThat(eventually(w, x -> x.adminPolicies().size() == 3).adminPolicies())
                    .hasSize(3);
            client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                    .withName("anp1")
                    .delete();
            ClusterSnapshot s = eventually(w, x -> x.adminPolicies().size() == 2);
            assertThat(s.adminPolicies()).extracting(p -> p.ref().name()).containsExactlyInAnyOrder("probe", "default");
        }
    }

    @Test
    void anInvalidAdminNetworkPolicyIsReadWithItsProblemAndTheWatcherKeepsWorking() throws Exception {
        try (ClusterWatcher w = ClusterWatcher.start(client)) {
            w.awaitSynced(Duration.ofSeconds(10));
            createPolicy(
                    ClusterWatcher.ADMIN_NETWORK_POLICY,
                    "{apiVersion: policy.networking.k8s.io/v1alpha1, kind: AdminNetworkPolicy,"
                            + " metadata: {name: bad}, spec: {priority: 1, subject: {namespaces: {}},"
                            + " bogusField: 1, egress: []}}");
            ClusterSnapshot s = eventually(w, x -> !x.adminPolicies().isEmpty());
            assertThat(s.adminPolicies()).singleElement().satisfies(p -> {
                assertThat(p.ref().name()).isEqualTo("bad");
                assertThat(p.readProblems())
                        .anySatisfy(d -> assertThat(d.path()).contains("bogusField"));
            });
            create("{apiVersion: v1, kind: Namespace, metadata: {name: after}}");
            ClusterSnapshot later = eventually(w, x -> !x.namespaces().isEmpty());
            assertThat(later.namespaces())
                    .singleElement()
                    .satisfies(ns -> assertThat(ns.name()).isEqualTo("after"));
        }
    }

    @Test
    void unchangedObjectsKeepTheirRecordsAndChangesShowInTheNextSnapshot() throws Exception {
        seed();
        create("{apiVersion: v1, kind: Pod, metadata: {name: p2, namespace: web, labels: {app: y}},"
                + " spec: {nodeName: n1, containers: [{name: c, image: i}]},"
                + " status: {phase: Running, podIPs: [{ip: 10.0.0.6}]}}");
        create("{apiVersion: v1, kind: Pod, metadata: {name: pending, namespace: web},"
                + " spec: {containers: [{name: c, image: i}]}, status: {phase: Pending}}");
        try (ClusterWatcher w = ClusterWatcher.start(client)) {
            w.awaitSynced(Duration.ofSeconds(10));
            // objects seen through the watches prove them open (the mock server replays nothing)
            create("{apiVersion: v1, kind: Node, metadata: {name: probe}}");
            create("{apiVersion: v1, kind: Pod, metadata: {name: probe, namespace: web},"
                    + " spec: {nodeName: n1, containers: [{name: c, image: i}]},"
                    + " status: {phase: Running, podIPs: [{ip: 10.0.0.9}]}}");
            ClusterSnapshot first =
                    eventually(w, x -> x.nodes().size() == 2 && x.pods().size() == 3);
            assertThat(first.pods()).hasSize(3);
            assertThat(first.loadDiagnostics())
                    .singleElement()
                    .satisfies(d -> assertThat(d.object().name()).isEqualTo("pending"));

            // no event: every list is the previous snapshot's
            ClusterSnapshot again = w.snapshot();
            assertThat(again).isEqualTo(first);
            assertThat(again.pods()).isSameAs(first.pods());
            assertThat(again.nodes()).isSameAs(first.nodes());
            assertThat(again.adminPolicies()).isSameAs(first.adminPolicies());
            assertThat(again.networkPolicies()).isSameAs(first.networkPolicies());

            // a pod update: its record is new, the other pod's and the other kinds' are kept
            client.pods().inNamespace("web").withName("p1").edit(p -> {
                p.getMetadata().getLabels().put("app", "x2");
                return p;
            });
            ClusterSnapshot edited = eventually(
                    w,
                    x -> "x2".equals(x.pod("web", "p1").orElseThrow().labels().get("app")));
            assertThat(edited.pod("web", "p2").orElseThrow())
                    .isSameAs(first.pod("web", "p2").orElseThrow());
            assertThat(edited.nodes()).isSameAs(first.nodes());
            assertThat(edited.loadDiagnostics()).isEqualTo(first.loadDiagnostics());

            // a delete and an add
            client.pods().inNamespace("web").withName("p2").delete();
            client.pods().inNamespace("web").withName("pending").delete();
            create("{apiVersion: v1, kind: Pod, metadata: {name: p3, namespace: web},"
                    + " spec: {nodeName: n1, containers: [{name: c, image: i}]},"
                    + " status: {phase: Running, podIPs: [{ip: 10.0.0.7}]}}");
            ClusterSnapshot later = eventually(
                    w,
                    x -> x.pod("web", "p3").isPresent() && x.loadDiagnostics().isEmpty());
            assertThat(later.pods()).extracting(PodInfo::name).containsExactly("p1", "p3", "probe");
            assertThat(later.pod("web", "p1").orElseThrow())
                    .isSameAs(edited.pod("web", "p1").orElseThrow());

            // a second watcher, converting every object afresh, reads the same cluster
            try (KubernetesClient other = server.createClient();
                    ClusterWatcher fresh = ClusterWatcher.start(other)) {
                fresh.awaitSynced(Duration.ofSeconds(10));
                ClusterSnapshot converted = eventually(fresh, x -> x.equals(later));
                assertThat(converted).isEqualTo(later);
                assertThat(converted.pods()).isNotSameAs(later.pods());
            }
        }
    }

    /** The change the watcher reports says what a walk of the two snapshots says, per kind. */
    private static void assertChangeIsTheWalks(ClusterSnapshot before, ClusterUpdate u) {
        ClusterChange walk = ClusterChange.between(before, u.snapshot());
        assertThat(pairs(u.change().pods(), ClusterSnapshot.POD_ORDER))
                .isEqualTo(pairs(walk.pods(), ClusterSnapshot.POD_ORDER));
        assertThat(pairs(u.change().nodes(), ClusterSnapshot.NODE_ORDER))
                .isEqualTo(pairs(walk.nodes(), ClusterSnapshot.NODE_ORDER));
        assertThat(pairs(u.change().adminPolicies(), ClusterSnapshot.ADMIN_POLICY_ORDER))
                .isEqualTo(pairs(walk.adminPolicies(), ClusterSnapshot.ADMIN_POLICY_ORDER));
        assertThat(pairs(u.change().namespaces(), ClusterSnapshot.NAMESPACE_ORDER))
                .isEqualTo(pairs(walk.namespaces(), ClusterSnapshot.NAMESPACE_ORDER));
        assertThat(u.change().loadDiagnosticsChanged()).isEqualTo(walk.loadDiagnosticsChanged());
    }

    private static <T> java.util.List<String> pairs(KindChange<T> k, java.util.Comparator<? super T> order) {
        java.util.List<String> out = new java.util.ArrayList<>();
        k.forEach(order, (o, n) -> out.add(o + " -> " + n));
        return out;
    }

    @Test
    void eachUpdateCarriesWhatTheInformersSawChangeSinceTheLastAndNothingElse() throws Exception {
        create("{apiVersion: v1, kind: Namespace, metadata: {name: web, labels: {team: a}}}");
        create("{apiVersion: v1, kind: Node, metadata: {name: n1, labels: {zone: z1}},"
                + " status: {addresses: [{type: InternalIP, address: 172.18.0.11}]}}");
        create("{apiVersion: v1, kind: Pod, metadata: {name: p1, namespace: web, labels: {app: x}},"
                + " spec: {nodeName: n1, containers: [{name: c, image: i}]},"
                + " status: {phase: Running, podIPs: [{ip: 10.0.0.1}]}}");
        try (ClusterWatcher w = ClusterWatcher.start(client)) {
            w.awaitSynced(Duration.ofSeconds(10));
            eventually(w, x -> x.pods().size() == 1);
            ClusterUpdate first = w.update();
            assertThat(first.change().everything())
                    .as("the first update: nothing to compare with")
                    .isTrue();
            assertThat(w.update().change().isEmpty()).as("no event since").isTrue();

            // a pod relabelled, one added, a node relabelled; snapshot() read in between loses nothing
            client.pods().inNamespace("web").withName("p1").edit(p -> {
                p.getMetadata().getLabels().put("app", "y");
                return p;
            });
            create("{apiVersion: v1, kind: Pod, metadata: {name: p2, namespace: web},"
                    + " spec: {nodeName: n1, containers: [{name: c, image: i}]},"
                    + " status: {phase: Running, podIPs: [{ip: 10.0.0.2}]}}");
            eventually(w, x -> x.pods().size() == 2);
            client.nodes().withName("n1").edit(n -> {
                n.getMetadata().getLabels().put("zone", "z2");
                return n;
            });
            eventually(w, x -> "z2".equals(x.node("n1").orElseThrow().labels().get("zone")));
            ClusterUpdate second = w.update();
            assertChangeIsTheWalks(first.snapshot(), second);
            assertThat(second.change().pods().left()).hasSize(1);
            assertThat(second.change().pods().came()).hasSize(2);
            assertThat(second.change().nodes().came()).hasSize(1);

            // a pod deleted and an ANP created
            client.pods().inNamespace("web").withName("p2").delete();
            createPolicy(
                    ClusterWatcher.ADMIN_NETWORK_POLICY,
                    "{apiVersion: policy.networking.k8s.io/v1alpha1, kind: AdminNetworkPolicy,"
                            + " metadata: {name: a1}, spec: {priority: 5, subject: {namespaces: {}},"
                            + " egress: [{name: r, action: Deny, to: [{networks: [10.0.0.0/8]}]}]}}");
            eventually(w, x -> x.pods().size() == 1 && x.adminPolicies().size() == 1);
            ClusterUpdate third = w.update();
            assertChangeIsTheWalks(second.snapshot(), third);
            assertThat(third.change().nodes().isEmpty()).isTrue();
            assertThat(third.change().adminPolicies().came()).hasSize(1);
        }
    }
}
