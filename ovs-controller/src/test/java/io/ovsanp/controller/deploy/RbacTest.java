package io.ovsanp.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.kube.DevApiServer;
import io.ovsanp.controller.status.PolicyObjects;
import io.ovsanp.controller.status.PolicyStatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The RBAC of deploy/ grants exactly what the code calls: the real informers and status/event writer
 * run against the CRUD mock API server, every request it receives is mapped to (group, resource,
 * verb), and each must be allowed; every granted (group, resource, verb) must be used by them or by
 * the leader election's Lease calls listed in {@link #LEASE_CALLS}.
 */
class RbacTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    /**
     * fabric8's LeaderElector with a LeaseLock (central mode, another part of the controller): it GETs
     * its Lease by name, creates it when missing, and renews, takes over or releases it with a JSON
     * merge PATCH (fabric8 8.0's ResourceLock.update; it sends no PUT). Replace with recorded requests
     * once the election runs in this test.
     */
    static final List<ApiCall> LEASE_CALLS = List.of(
            new ApiCall("coordination.k8s.io", "leases", "", "ovs-anp", "ovs-anp", "get"),
            new ApiCall("coordination.k8s.io", "leases", "", "ovs-anp", "", "create"),
            new ApiCall("coordination.k8s.io", "leases", "", "ovs-anp", "ovs-anp", "patch"));

    /**
     * The status writer GETs one policy when the informer cache disagrees with its last write (a cache
     * that lags behind, or another writer): timing-dependent, so declared here rather than recorded.
     */
    static final List<ApiCall> STATUS_REREADS = List.of(
            new ApiCall("policy.networking.k8s.io", "adminnetworkpolicies", "", "", "good", "get"),
            new ApiCall("policy.networking.k8s.io", "baselineadminnetworkpolicies", "", "", "default", "get"));

    @Test
    void clusterRoleAndRolesGrantExactlyWhatTheControllerCalls() throws Exception {
        Rbac rbac = new Rbac(Manifests.load(), "ovs-anp", "ovs-anp");
        List<ApiCall> calls = new ArrayList<>(recordedCalls());
        calls.addAll(LEASE_CALLS);
        calls.addAll(STATUS_REREADS);

        List<String> denied = calls.stream()
                .filter(c -> rbac.allowing(c).isEmpty())
                .map(ApiCall::toString)
                .distinct()
                .toList();
        assertThat(denied).as("requests the RBAC of deploy/ does not allow").isEmpty();

        Set<String> unused = new LinkedHashSet<>();
        for (Rbac.Grant g : rbac.grants()) {
            if (calls.stream().noneMatch(c -> Rbac.allows(g, c))) {
                unused.add(g.verb() + " " + g.group() + " " + g.resource()
                        + (g.namespace().isEmpty() ? "" : " in " + g.namespace()));
            }
        }
        assertThat(unused).as("grants no code path uses").isEmpty();

        // the calls this test exercised, so a silently shrunken run cannot pass
        assertThat(calls)
                .extracting(ApiCall::toString)
                .contains(
                        "list policy.networking.k8s.io adminnetworkpolicies",
                        "watch policy.networking.k8s.io adminnetworkpolicies",
                        "update policy.networking.k8s.io adminnetworkpolicies/status broken",
                        "update policy.networking.k8s.io baselineadminnetworkpolicies/status default",
                        "create core events in default");
    }

    @Test
    void aGrantMatchesOnlyItsGroupResourceVerbNamespaceAndName() throws Exception {
        Rbac rbac = new Rbac(Manifests.load(), "ovs-anp", "ovs-anp");
        String anp = "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies/a";
        assertThat(rbac.allowing(ApiCall.of("PUT", anp + "/status"))).hasSize(1);
        assertThat(rbac.allowing(ApiCall.of("PATCH", anp + "/status"))).isEmpty();
        assertThat(rbac.allowing(ApiCall.of("PUT", anp))).isEmpty();
        assertThat(rbac.allowing(ApiCall.of("GET", anp))).isNotEmpty(); // the status writer's re-read
        assertThat(rbac.allowing(ApiCall.of("DELETE", anp))).isEmpty();
        assertThat(rbac.allowing(ApiCall.of("GET", "/api/v1/namespaces/default/pods/p")))
                .isEmpty();
        assertThat(rbac.allowing(ApiCall.of("GET", "/api/v1/namespaces/default/secrets?watch=true")))
                .isEmpty();
        assertThat(rbac.allowing(ApiCall.of("POST", "/api/v1/namespaces/kube-system/events")))
                .isEmpty();
        String leases = "/apis/coordination.k8s.io/v1/namespaces/";
        assertThat(rbac.allowing(ApiCall.of("GET", leases + "ovs-anp/leases/other")))
                .isEmpty();
        assertThat(rbac.allowing(ApiCall.of("GET", leases + "ovs-anp/leases"))).isEmpty();
        assertThat(rbac.allowing(ApiCall.of("GET", leases + "default/leases/ovs-anp")))
                .isEmpty();
        assertThat(new Rbac(Manifests.load(), "ovs-anp", "someone-else").grants())
                .isEmpty();
    }

    @Test
    void requestPathsMapToRbacAttributes() {
        assertThat(ApiCall.of("GET", "/api/v1/pods?resourceVersion=0").toString())
                .isEqualTo("list core pods");
        assertThat(ApiCall.of("GET", "/api/v1/namespaces?allowWatchBookmarks=true&watch=true")
                        .toString())
                .isEqualTo("watch core namespaces");
        assertThat(ApiCall.of("GET", "/apis/coordination.k8s.io/v1/namespaces/ovs-anp/leases/ovs-anp")
                        .toString())
                .isEqualTo("get coordination.k8s.io leases ovs-anp in ovs-anp");
        assertThat(ApiCall.of("PUT", "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies/a/status")
                        .toString())
                .isEqualTo("update policy.networking.k8s.io adminnetworkpolicies/status a");
        assertThat(ApiCall.of("PATCH", "/api/v1/namespaces/default/events/e1").toString())
                .isEqualTo("patch core events e1 in default");
        assertThat(ApiCall.of("GET", "/api/v1/namespaces/kube-system").toString())
                .isEqualTo("get core namespaces kube-system");
        assertThat(ApiCall.of("DELETE", "/api/v1/namespaces/x/pods").verb()).isEqualTo("deletecollection");
    }

    /** Runs the informers, the status writer and the event writer once; every request they made. */
    private static List<ApiCall> recordedCalls() throws Exception {
        KubernetesMockServer server = DevApiServer.crudServer();
        server.init();
        try (KubernetesClient client = server.createClient()) {
            client.resource(json("{apiVersion: v1, kind: Namespace, metadata: {name: shop}}"))
                    .create();
            createPolicy(
                    client,
                    ClusterWatcher.ADMIN_NETWORK_POLICY,
                    "{apiVersion: policy.networking.k8s.io/v1alpha1,"
                            + " kind: AdminNetworkPolicy, metadata: {name: broken}, spec: {priority: 5, subject: {namespaces: {}},"
                            + " egress: [{name: bad, action: Deny, to: [{networks: [\"10.0.0.0/33\"]}]}]}}");
            createPolicy(
                    client,
                    ClusterWatcher.BASELINE_ADMIN_NETWORK_POLICY,
                    "{apiVersion: policy.networking.k8s.io/v1alpha1,"
                            + " kind: BaselineAdminNetworkPolicy, metadata: {name: default}, spec: {subject: {namespaces: {}},"
                            + " egress: [{name: b, action: Deny, to: [{networks: [198.51.100.0/24]}]}]}}");
            drain(server); // the test's own setup requests are not the controller's

            try (ClusterWatcher watcher = ClusterWatcher.start(client);
                    PolicyStatusWriter writer = new PolicyStatusWriter(
                            client,
                            PolicyObjects.of(watcher),
                            () -> true,
                            "default",
                            Clock.systemUTC(),
                            Duration.ofSeconds(30))) {
                watcher.awaitSynced(Duration.ofSeconds(10));
                ClusterSnapshot s = watcher.snapshot();
                writer.validated(s, PolicyValidator.validate(s));
                writer.failed("w1", "the switch is not connected");
                writer.drain(Duration.ofSeconds(10));
                return untilEightWatches(server);
            }
        } finally {
            DevApiServer.stop(server);
        }
    }

    /** The informers open their watches asynchronously after the list: collect until all 8 came. */
    private static List<ApiCall> untilEightWatches(KubernetesMockServer server) throws InterruptedException {
        List<ApiCall> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            out.addAll(drain(server));
            if (out.stream().filter(c -> c.verb().equals("watch")).count() >= 8) {
                break;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return out;
    }

    private static List<ApiCall> drain(KubernetesMockServer server) throws InterruptedException {
        List<ApiCall> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            out.add(ApiCall.of(r.getMethod(), r.getPath()));
        }
        return out;
    }

    private static String json(String yaml) {
        return YAML.readTree(yaml).toString();
    }

    private static void createPolicy(
            KubernetesClient client,
            io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext kind,
            String yaml) {
        GenericKubernetesResource r =
                client.getKubernetesSerialization().unmarshal(json(yaml), GenericKubernetesResource.class);
        client.genericKubernetesResources(kind).resource(r).create();
    }
}
