package io.ovsanp.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.status.PolicyObjects;
import io.ovsanp.controller.status.PolicyStatusWriter;
import io.ovsanp.controller.testing.MockApiServer;
import io.ovsanp.testkit.Command;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Each mode's ServiceAccount in its overlay of deploy/ grants exactly what that mode requests. The
 * RBAC and the workloads come from the overlay as kustomize renders it (or, without kubectl, from
 * the files it lists: {@link Manifests#load}). The real controller runs in-process with the
 * manifests' own arguments (agent: the DaemonSet's; central: the StatefulSet's, with certificates
 * from deploy/pki/ovs-anp-pki.sh) against the CRUD mock API server;
 * every request it receives is mapped to (group, resource, verb, namespace, name) and must be allowed
 * to that mode's account, and every grant of the account must be used by that mode.
 */
class RbacTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String NAMESPACE = "ovs-anp";
    private static final String AGENT = "ovs-anp-agent";
    private static final String CENTRAL = "ovs-anp-central";
    private static final String ANP = "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies/broken";
    private static final String BANP = "/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies/default";
    private static final String CNP = "/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies/tenants";
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/ovs-anp/leases";
    /** The Lease on which the agents elect the one that writes policy status. */
    private static final String AGENT_STATUS_LEASE = "ovs-anp-agent-status";
    /** How long the agent's run waits for its status writes after its watches are up. */
    private static final Duration AGENT_STATUS_WAIT = Duration.ofSeconds(15);
    /** What the elected agent writes; what the agent's RBAC grants beyond its reads. */
    private static final List<String> AGENT_WRITES = List.of(
            "update policy.networking.k8s.io adminnetworkpolicies/status broken",
            "update policy.networking.k8s.io baselineadminnetworkpolicies/status default",
            "update policy.networking.k8s.io clusternetworkpolicies/status tenants",
            "create core events in default",
            "get coordination.k8s.io leases " + AGENT_STATUS_LEASE + " in ovs-anp",
            "create coordination.k8s.io leases in ovs-anp",
            "patch coordination.k8s.io leases " + AGENT_STATUS_LEASE + " in ovs-anp");

    private static List<HasMetadata> agentObjects;
    private static List<HasMetadata> centralObjects;
    private static ModeRun.Result agent;
    private static ModeRun.Result central;

    @BeforeAll
    static void runBothModes(@TempDir Path dir) throws Exception {
        agentObjects = Manifests.load(Manifests.AGENT);
        centralObjects = Manifests.load(Manifests.CENTRAL);

        DaemonSet ds = ManifestsTest.only(agentObjects, DaemonSet.class);
        String socket = dir.resolve("br-int.mgmt").toString(); // nothing listens: the agent keeps dialling
        long start = System.nanoTime();
        // its watches up, then its status writes (the only agent, it wins the Lease), or give up
        // waiting after a while: the grants test then names the grants the agent did not use
        agent = withSeededServer(server -> ModeRun.run(
                server,
                ModeRun.args(
                        ds,
                        settings(agentObjects),
                        Map.of("spec.nodeName", "w1", "status.podIP", "127.0.0.1", "metadata.name", "agent-w1")),
                a -> a.startsWith("unix:") ? "unix:" + socket : a,
                calls -> calls.stream().filter(c -> c.verb().equals("watch")).count() >= 9
                        && (names(calls).containsAll(AGENT_WRITES)
                                || System.nanoTime() - start > AGENT_STATUS_WAIT.toNanos())));

        StatefulSet d = ManifestsTest.only(centralObjects, StatefulSet.class);
        Path pki = dir.resolve("pki");
        Path script = Manifests.directory().resolve("pki/ovs-anp-pki.sh");
        Command.of("bash", script.toString(), "--dir", pki.toString(), "ca").runOrThrow();
        Command.of("bash", script.toString(), "--dir", pki.toString(), "controller")
                .runOrThrow();
        // the files the Secret ovs-anp-central-tls holds, as deploy/pki/README.md makes it
        Map<String, Path> secret = Map.of(
                "--tls-key=", pki.resolve("controller.key"),
                "--tls-cert=", pki.resolve("controller.pem"),
                "--tls-ca=", pki.resolve("ca.pem"));
        List<String> args = new ArrayList<>(ModeRun.args(d, settings(centralObjects), Map.of()));
        // what the pod has from its environment: its name, and its namespace for the Lease
        args.addAll(List.of(
                "--identity", "rbac-test", "--lease-namespace", d.getMetadata().getNamespace()));
        central = withSeededServer(server -> ModeRun.run(
                server,
                args,
                a -> {
                    if (a.startsWith("pssl:")) return "pssl:0:127.0.0.1";
                    for (var f : secret.entrySet()) {
                        if (a.startsWith(f.getKey())) return f.getKey() + f.getValue();
                    }
                    return a;
                },
                calls -> names(calls)
                        .containsAll(List.of(
                                "update policy.networking.k8s.io adminnetworkpolicies/status broken",
                                "update policy.networking.k8s.io baselineadminnetworkpolicies/status default",
                                "update policy.networking.k8s.io clusternetworkpolicies/status tenants",
                                "create core events in default",
                                "create coordination.k8s.io leases in ovs-anp"))));
    }

    @Test
    void agentAccountGrantsExactlyWhatAgentModeRequests() throws Exception {
        List<ApiCall> calls = new ArrayList<>(agent.calls());
        calls.addAll(statusRereads()); // the elected agent's status writer re-reads like central's
        assertGrantsExactly(new Rbac(agentObjects, NAMESPACE, AGENT), calls);
        // every agent lists then watches the nine kinds
        assertThat(agent.calls())
                .filteredOn(c -> c.verb().equals("watch"))
                .extracting(ApiCall::qualifiedResource)
                .containsOnly(
                        "namespaces",
                        "pods",
                        "nodes",
                        "services",
                        "endpointslices",
                        "networkpolicies",
                        "adminnetworkpolicies",
                        "baselineadminnetworkpolicies",
                        "clusternetworkpolicies")
                .hasSizeGreaterThanOrEqualTo(9);
        // and the one elected on the Lease writes the policies' status, and each agent its Events
        assertThat(names(calls)).containsAll(AGENT_WRITES);
    }

    @Test
    void centralAccountGrantsExactlyWhatCentralModeRequests() throws Exception {
        List<ApiCall> calls = new ArrayList<>(central.calls());
        calls.addAll(statusRereads());
        assertGrantsExactly(new Rbac(centralObjects, NAMESPACE, CENTRAL), calls);
        // the calls this test exercised, so a silently shrunken run cannot pass
        assertThat(names(calls))
                .contains(
                        "list policy.networking.k8s.io adminnetworkpolicies",
                        "watch policy.networking.k8s.io adminnetworkpolicies",
                        "update policy.networking.k8s.io adminnetworkpolicies/status broken",
                        "update policy.networking.k8s.io baselineadminnetworkpolicies/status default",
                        "list policy.networking.k8s.io clusternetworkpolicies",
                        "watch policy.networking.k8s.io clusternetworkpolicies",
                        "update policy.networking.k8s.io clusternetworkpolicies/status tenants",
                        "get policy.networking.k8s.io adminnetworkpolicies broken",
                        "create core events in default",
                        "get coordination.k8s.io leases ovs-anp in ovs-anp",
                        "create coordination.k8s.io leases in ovs-anp",
                        "patch coordination.k8s.io leases ovs-anp in ovs-anp");
    }

    @Test
    void agentAccountWritesOnlyStatusItsEventsAndItsOwnLease() {
        Rbac agentRbac = new Rbac(agentObjects, NAMESPACE, AGENT);
        Rbac centralRbac = new Rbac(centralObjects, NAMESPACE, CENTRAL);
        String agentLease = LEASES + "/" + AGENT_STATUS_LEASE;
        for (ApiCall c : List.of(
                ApiCall.of("PUT", ANP + "/status"),
                ApiCall.of("PUT", BANP + "/status"),
                ApiCall.of("PUT", CNP + "/status"),
                ApiCall.of("GET", ANP),
                ApiCall.of("POST", "/api/v1/namespaces/default/events"),
                ApiCall.of("GET", agentLease),
                ApiCall.of("POST", LEASES),
                ApiCall.of("PATCH", agentLease))) {
            assertThat(agentRbac.allowing(c)).as("agent: " + c).isNotEmpty();
        }
        // neither mode can take the other's Lease
        for (String method : List.of("GET", "PATCH", "PUT", "DELETE")) {
            assertThat(agentRbac.allowing(ApiCall.of(method, LEASES + "/ovs-anp")))
                    .as("agent: " + method + " central's Lease")
                    .isEmpty();
            assertThat(centralRbac.allowing(ApiCall.of(method, agentLease)))
                    .as("central: " + method + " the agents' Lease")
                    .isEmpty();
        }
        for (String write : List.of("PUT", "PATCH", "POST", "DELETE")) {
            assertThat(agentRbac.allowing(ApiCall.of(write, ANP))).isEmpty();
            assertThat(agentRbac.allowing(ApiCall.of(write, CNP))).isEmpty();
            assertThat(agentRbac.allowing(ApiCall.of(write, "/api/v1/namespaces/shop/pods/p")))
                    .isEmpty();
            assertThat(agentRbac.allowing(ApiCall.of(write, "/api/v1/nodes/w1")))
                    .isEmpty();
        }
        for (String write : List.of("PATCH", "POST", "DELETE")) {
            assertThat(agentRbac.allowing(ApiCall.of(write, ANP + "/status"))).isEmpty();
        }
        assertThat(agentRbac.allowing(ApiCall.of("POST", "/api/v1/namespaces/ovs-anp/events")))
                .isEmpty();
        assertThat(agentRbac.allowing(ApiCall.of("PATCH", "/api/v1/namespaces/default/events/e1")))
                .isEmpty();
        assertThat(agentRbac.allowing(ApiCall.of("GET", "/api/v1/namespaces/ovs-anp/secrets/ovs-anp-central-tls")))
                .isEmpty();
        // the agent's grants are exactly central's plus its own Lease instead of central's
        assertThat(grantsOtherThanLeases(agentRbac)).isEqualTo(grantsOtherThanLeases(centralRbac));
    }

    private static Set<String> grantsOtherThanLeases(Rbac rbac) {
        Set<String> out = new LinkedHashSet<>();
        for (Rbac.Grant g : rbac.grants()) {
            if (!g.resource().equals("leases")) {
                out.add(g.namespace() + " " + g.group() + " " + g.resource() + " " + g.verb() + " "
                        + g.resourceNames());
            }
        }
        return out;
    }

    @Test
    void requestsOfNoResourceAreOnlyThoseEveryAccountMayMake() {
        for (ModeRun.Result r : List.of(agent, central)) {
            assertThat(r.otherRequests())
                    .allSatisfy(o -> assertThat(o.allowedToEveryAccount())
                            .as(o.toString())
                            .isTrue());
        }
    }

    @Test
    void aGrantMatchesOnlyItsGroupResourceVerbNamespaceAndName() {
        Rbac rbac = new Rbac(centralObjects, NAMESPACE, CENTRAL);
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
        assertThat(new Rbac(centralObjects, NAMESPACE, "ovs-anp").grants()).isEmpty();
        assertThat(new Rbac(centralObjects, "default", CENTRAL).grants()).isEmpty();
        assertThat(new Rbac(centralObjects, NAMESPACE, AGENT).grants()).isEmpty();
        assertThat(new Rbac(agentObjects, NAMESPACE, CENTRAL).grants()).isEmpty();
    }

    @Test
    void requestPathsMapToRbacAttributes() {
        assertThat(ApiCall.of("GET", "/api/v1/pods?resourceVersion=0").toString())
                .isEqualTo("list core pods");
        assertThat(ApiCall.of("GET", "/api/v1/namespaces?allowWatchBookmarks=true&watch=true")
                        .toString())
                .isEqualTo("watch core namespaces");
        assertThat(ApiCall.of("GET", LEASES + "/ovs-anp").toString())
                .isEqualTo("get coordination.k8s.io leases ovs-anp in ovs-anp");
        assertThat(ApiCall.of("PUT", "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies/a/status")
                        .toString())
                .isEqualTo("update policy.networking.k8s.io adminnetworkpolicies/status a");
        assertThat(ApiCall.of("PATCH", "/api/v1/namespaces/default/events/e1").toString())
                .isEqualTo("patch core events e1 in default");
        assertThat(ApiCall.of("GET", "/api/v1/namespaces/kube-system").toString())
                .isEqualTo("get core namespaces kube-system");
        assertThat(ApiCall.of("DELETE", "/api/v1/namespaces/x/pods").verb()).isEqualTo("deletecollection");
        assertThat(ApiCall.isResourceRequest("/api/v1/pods")).isTrue();
        assertThat(ApiCall.isResourceRequest("/apis/discovery.k8s.io/v1/endpointslices"))
                .isTrue();
        assertThat(ApiCall.isResourceRequest("/apis/discovery.k8s.io/v1")).isFalse();
        assertThat(ApiCall.allowedToEveryAccount("GET", "/version")).isTrue();
        assertThat(ApiCall.allowedToEveryAccount("GET", "/apis/policy.networking.k8s.io/v1alpha1"))
                .isTrue();
        assertThat(ApiCall.allowedToEveryAccount("GET", "/metrics")).isFalse();
        assertThat(ApiCall.allowedToEveryAccount("POST", "/version")).isFalse();
        assertThat(ApiCall.allowedToEveryAccount("GET", "/api/v1/pods")).isFalse();
    }

    /** Fails on a request {@code rbac} does not allow, and on a grant none of {@code calls} uses. */
    private static void assertGrantsExactly(Rbac rbac, List<ApiCall> calls) {
        assertThat(calls).as("recorded requests").isNotEmpty();
        List<String> denied = calls.stream()
                .filter(c -> rbac.allowing(c).isEmpty())
                .map(ApiCall::toString)
                .distinct()
                .toList();
        assertThat(denied).as("requests the account's RBAC does not allow").isEmpty();
        Set<String> unused = new LinkedHashSet<>();
        for (Rbac.Grant g : rbac.grants()) {
            if (calls.stream().noneMatch(c -> Rbac.allows(g, c))) {
                unused.add(g.verb() + " " + g.group() + " " + g.resource()
                        + (g.namespace().isEmpty() ? "" : " in " + g.namespace()));
            }
        }
        assertThat(unused).as("grants the mode never uses").isEmpty();
    }

    private static Map<String, String> settings(List<HasMetadata> objects) {
        return ManifestsTest.only(objects, ConfigMap.class).getData();
    }

    private static List<String> names(List<ApiCall> calls) {
        return calls.stream().map(ApiCall::toString).toList();
    }

    private interface ServerRun {
        ModeRun.Result run(KubernetesMockServer server) throws Exception;
    }

    /** A CRUD mock API server with a namespace, a node, an invalid ANP and a BANP. */
    private static ModeRun.Result withSeededServer(ServerRun body) throws Exception {
        KubernetesMockServer server = MockApiServer.crudServer();
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient client = server.createClient()) {
            seed(client);
            return body.run(server);
        } finally {
            MockApiServer.stop(server);
        }
    }

    private static void seed(KubernetesClient client) {
        client.resource(json("{apiVersion: v1, kind: Namespace, metadata: {name: shop}}"))
                .create();
        client.resource(json("{apiVersion: v1, kind: Node, metadata: {name: w1}}"))
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
        createPolicy(
                client,
                ClusterWatcher.CLUSTER_NETWORK_POLICY,
                "{apiVersion: policy.networking.k8s.io/v1alpha2,"
                        + " kind: ClusterNetworkPolicy, metadata: {name: tenants}, spec: {tier: Admin, priority: 7,"
                        + " subject: {namespaces: {}},"
                        + " egress: [{name: c, action: Deny, to: [{networks: [192.0.2.0/24]}]}]}}");
    }

    /**
     * The status writer's re-read: it GETs a policy when the informer cache disagrees with its last
     * write (a cache that lags behind, or another writer), which depends on timing in a real run. Here
     * the writer of central mode reads through a cache frozen at the first sight of each policy, so its
     * second flush finds the cache behind its own write and must re-read.
     */
    private static List<ApiCall> statusRereads() throws Exception {
        return withSeededServer(server -> {
                    try (KubernetesClient client = server.createClient();
                            ClusterWatcher watcher = ClusterWatcher.start(client)) {
                        Map<String, Optional<GenericKubernetesResource>> firstSight = new ConcurrentHashMap<>();
                        PolicyObjects lagging = (tier, name) ->
                                firstSight.computeIfAbsent(tier + "/" + name, k -> watcher.policyObject(tier, name));
                        try (PolicyStatusWriter writer = new PolicyStatusWriter(
                                client, lagging, () -> true, "default", Clock.systemUTC(), Duration.ofSeconds(30))) {
                            watcher.awaitSynced(Duration.ofSeconds(10));
                            ClusterSnapshot s = watcher.snapshot();
                            writer.validated(
                                    s,
                                    PolicyValidator.validate(s),
                                    io.ovsanp.compiler.cluster.ClusterChange.EVERYTHING);
                            writer.drain(Duration.ofSeconds(10));
                            ModeRun.drain(
                                    server, new ArrayList<>(), new ArrayList<>()); // the first write: recorded above
                            writer.requestFlush();
                            writer.drain(Duration.ofSeconds(10));
                            List<ApiCall> calls = new ArrayList<>();
                            ModeRun.drain(server, calls, new ArrayList<>());
                            return new ModeRun.Result(calls, List.of());
                        }
                    }
                })
                .calls();
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
