package io.ovsanp.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.testing.MockApiServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The controller starts and works whichever policy CRDs the API server serves (v1alpha1, v1alpha2,
 * both, neither), and picks up a CRD installed later: discovery, not a hang in an informer's sync.
 * The CRUD mock serves discovery for the resources it is built with and for CRDs created in it.
 */
class PolicyCrdsTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Duration RECHECK = Duration.ofMillis(200);
    private KubernetesMockServer server;
    private KubernetesClient client;

    private void serving(CustomResourceDefinitionContext... kinds) {
        server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesCrudDispatcher(List.of(kinds)),
                false);
        server.init();
        client = server.createClient();
        client.resource(json("{apiVersion: v1, kind: Namespace, metadata: {name: web}}"))
                .create();
    }

    @AfterEach
    void stop() {
        client.close();
        MockApiServer.stop(server);
    }

    private static String json(String yaml) {
        return YAML.readTree(yaml).toString();
    }

    private void createPolicy(CustomResourceDefinitionContext kind, String yaml) {
        GenericKubernetesResource r =
                client.getKubernetesSerialization().unmarshal(json(yaml), GenericKubernetesResource.class);
        client.genericKubernetesResources(kind).resource(r).create();
    }

    private void cnp(String name) {
        createPolicy(
                ClusterWatcher.CLUSTER_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha2, kind: ClusterNetworkPolicy, metadata: {name: " + name
                        + "}, spec: {tier: Admin, priority: 3, subject: {namespaces: {}},"
                        + " egress: [{name: d, action: Deny, to: [{networks: [192.0.2.0/24]}]}]}}");
    }

    private void anp(String name) {
        createPolicy(
                ClusterWatcher.ADMIN_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha1, kind: AdminNetworkPolicy, metadata: {name: " + name
                        + "}, spec: {priority: 3, subject: {namespaces: {}},"
                        + " egress: [{name: d, action: Deny, to: [{networks: [192.0.2.0/24]}]}]}}");
    }

    private static ClusterSnapshot eventually(ClusterWatcher w, Predicate<ClusterSnapshot> p)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ClusterSnapshot s = w.snapshot();
        while (!p.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            s = w.snapshot();
        }
        return s;
    }

    private static List<String> names(ClusterSnapshot s) {
        return s.adminPolicies().stream()
                .map(p -> p.ref().kind() + "/" + p.ref().name())
                .toList();
    }

    @Test
    void onlyTheV1alpha2CrdSyncsAndReadsClusterNetworkPolicies() throws Exception {
        serving(ClusterWatcher.CLUSTER_NETWORK_POLICY);
        cnp("tenants");
        try (ClusterWatcher w = ClusterWatcher.start(client, RECHECK)) {
            w.awaitSynced(Duration.ofSeconds(10));
            assertThat(w.policyKindsServed())
                    .containsExactly("ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2)");
            ClusterSnapshot s = eventually(w, x -> !x.adminPolicies().isEmpty());
            assertThat(s.adminPolicies()).singleElement().satisfies(p -> {
                assertThat(p.ref().kind()).isEqualTo("ClusterNetworkPolicy");
                assertThat(p.tier()).isEqualTo(Tier.ADMIN);
                assertThat(p.priority()).isEqualTo(3);
            });
            assertThat(w.policyObject("ClusterNetworkPolicy", "tenants")).isPresent();
            assertThat(w.policyObject("AdminNetworkPolicy", "tenants")).isEmpty();
        }
    }

    @Test
    void onlyTheV1alpha1CrdsSyncAndReadAdminNetworkPolicies() throws Exception {
        serving(ClusterWatcher.ADMIN_NETWORK_POLICY, ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY);
        anp("a1");
        try (ClusterWatcher w = ClusterWatcher.start(client, RECHECK)) {
            w.awaitSynced(Duration.ofSeconds(10));
            assertThat(names(eventually(w, x -> !x.adminPolicies().isEmpty())))
                    .containsExactly("AdminNetworkPolicy/a1");
            assertThat(w.policyKindsServed()).hasSize(2);
        }
    }

    @Test
    void noPolicyCrdSyncsAndACrdInstalledLaterIsPickedUp() throws Exception {
        serving();
        try (ClusterWatcher w = ClusterWatcher.start(client, RECHECK)) {
            w.awaitSynced(Duration.ofSeconds(10));
            assertThat(w.policyKindsServed()).isEmpty();
            assertThat(w.snapshot().namespaces()).isNotEmpty();
            assertThat(w.snapshot().adminPolicies()).isEmpty();

            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd())
                    .create();
            cnp("late");
            ClusterSnapshot s = eventually(w, x -> !x.adminPolicies().isEmpty());
            assertThat(names(s)).containsExactly("ClusterNetworkPolicy/late");
            // the new informer's items reach the snapshot just before it reports its list as synced
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!w.synced() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(w.synced()).isTrue();
            assertThat(w.policyKindsServed())
                    .containsExactly("ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2)");

            cnp("later"); // the informer started by discovery follows changes
            assertThat(names(eventually(w, x -> x.adminPolicies().size() == 2)))
                    .containsExactlyInAnyOrder("ClusterNetworkPolicy/late", "ClusterNetworkPolicy/later");
            AdminPolicy late = s.adminPolicies().get(0);
            assertThat(late.readProblems()).isEmpty();
        }
    }

    /** The upstream CRD's identity (served version v1alpha2, cluster-scoped, status subresource). */
    private static CustomResourceDefinition crd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("clusternetworkpolicies.policy.networking.k8s.io")
                .endMetadata()
                .withNewSpec()
                .withGroup("policy.networking.k8s.io")
                .withScope("Cluster")
                .withNewNames()
                .withKind("ClusterNetworkPolicy")
                .withPlural("clusternetworkpolicies")
                .withSingular("clusternetworkpolicy")
                .endNames()
                .addNewVersion()
                .withName("v1alpha2")
                .withServed(true)
                .withStorage(true)
                .withNewSubresources()
                .withNewStatus()
                .endStatus()
                .endSubresources()
                .endVersion()
                .endSpec()
                .build();
    }
}
