package io.ovsanp.controller.snapshot;

import static io.ovsanp.controller.snapshot.TestInputs.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.NamespaceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotLoaderTest {

    private static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    @Test
    void readsEveryKindFromADirectoryOfMultiDocumentFilesListsAndJson() throws Exception {
        ClusterSnapshot s = TestInputs.load("cluster");

        assertThat(s.namespaces())
                .containsExactly(
                        new NamespaceInfo("dev", Map.of("env", "dev")),
                        new NamespaceInfo("prod", Map.of("env", "prod")));
        assertThat(s.pods())
                .extracting(PodInfo::key)
                .containsExactly("dev/db-0", "kube-system/node-exporter", "prod/web-1");
        assertThat(s.pod("prod", "web-1"))
                .contains(new PodInfo(
                        "prod",
                        "web-1",
                        "w1",
                        false,
                        List.of(ip("10.244.1.5"), ip("fd00:10:244:1::5")),
                        Map.of("app", "web"),
                        List.of(
                                new ContainerPort("http", Protocol.TCP, 8080),
                                new ContainerPort("metrics", Protocol.UDP, 9090),
                                new ContainerPort("", Protocol.TCP, 15001))));
        assertThat(s.pod("dev", "db-0").orElseThrow().ips()).containsExactly(ip("10.244.2.7"));
        assertThat(s.nodes())
                .containsExactly(
                        new NodeInfo(
                                "cp1", Map.of("node-role.kubernetes.io/control-plane", ""), List.of(ip("172.18.0.2"))),
                        new NodeInfo(
                                "w1",
                                Map.of("kubernetes.io/hostname", "w1"),
                                List.of(ip("172.18.0.3"), ip("2001:db8::3"))));
        assertThat(s.services())
                .containsExactly(new ServiceInfo(
                        "default",
                        "kubernetes",
                        List.of(ip("10.96.0.1")),
                        List.of(new ServiceInfo.ServicePort("https", Protocol.TCP, 443, "6443"))));
        assertThat(s.endpointSlices())
                .containsExactly(new EndpointSliceInfo(
                        "default",
                        "kubernetes",
                        "kubernetes",
                        List.of(ip("172.18.0.2"), ip("172.18.0.5")),
                        List.of(new EndpointSliceInfo.EndpointPort("https", Protocol.TCP, 6443))));
        assertThat(s.policies(Tier.ADMIN)).extracting(p -> p.ref().name()).containsExactly("prod-egress");
        assertThat(s.policies(Tier.BASELINE)).extracting(p -> p.ref().name()).containsExactly("default");
        assertThat(s.networkPolicies())
                .extracting(p -> p.ref().display())
                .containsExactly("NetworkPolicy/prod/web-egress");
        assertThat(s.adminPolicies())
                .allSatisfy(p -> assertThat(p.readProblems()).isEmpty());
        assertThat(s.networkPolicies())
                .allSatisfy(p -> assertThat(p.readProblems()).isEmpty());

        String namespacesFile = path("cluster/00-namespaces.yaml").toString();
        String workloadsFile = path("cluster/10-workloads.yaml").toString();
        assertThat(s.loadDiagnostics())
                .containsExactlyInAnyOrder(
                        Diagnostic.note(
                                new ObjectRef("Deployment", "prod", "web", "", SourceRef.of(namespacesFile, 2)),
                                "",
                                "kind Deployment (apps/v1) is not read by ovs-anp, skipped"),
                        Diagnostic.note(
                                new ObjectRef(
                                        "Pod",
                                        "dev",
                                        "pending",
                                        "",
                                        SourceRef.of(workloadsFile, 0).item(2)),
                                "status.podIPs",
                                "no pod IP: not running, ignored"),
                        Diagnostic.note(
                                new ObjectRef(
                                        "Pod",
                                        "dev",
                                        "migrate-job",
                                        "",
                                        SourceRef.of(workloadsFile, 0).item(3)),
                                "status.phase",
                                "phase Succeeded: not running, ignored"));
    }

    @Test
    void policiesRememberTheFileAndDocumentTheyCameFrom() throws Exception {
        ClusterSnapshot s = TestInputs.load("cluster/policies");

        String file = path("cluster/policies/admin.yaml").toString();
        assertThat(TestInputs.admin(s, "prod-egress").ref())
                .isEqualTo(new ObjectRef(
                        "AdminNetworkPolicy",
                        "",
                        "prod-egress",
                        "0f4e8a52-0000-4000-8000-00000000a001",
                        SourceRef.of(file, 0)));
        assertThat(TestInputs.admin(s, "default").ref().source()).isEqualTo(SourceRef.of(file, 1));
    }

    @Test
    void unknownKindsAndApiVersionsAreSkippedWithANoteNamingFileAndDocument() throws Exception {
        ClusterSnapshot s = TestInputs.load("objects/unknown-kinds.yaml");

        String file = path("objects/unknown-kinds.yaml").toString();
        assertThat(s.networkPolicies()).isEmpty();
        assertThat(s.adminPolicies()).isEmpty();
        assertThat(s.loadDiagnostics()).allSatisfy(d -> assertThat(d.severity()).isEqualTo(Severity.NOTE));
        assertThat(s.loadDiagnostics().stream().map(Diagnostic::render))
                .containsExactly(
                        "note: " + file + " (document 0): Deployment/prod/web: kind Deployment (apps/v1) is not read by"
                                + " ovs-anp, skipped",
                        "note: " + file + " (document 1): NetworkPolicy/prod/old apiVersion: networking.k8s.io/v1beta1"
                                + " is not supported for NetworkPolicy (expected networking.k8s.io/v1), skipped",
                        "note: " + file + " (document 2): ClusterNetworkPolicy/cnp apiVersion:"
                                + " policy.networking.k8s.io/v1alpha1 is not supported for ClusterNetworkPolicy"
                                + " (expected policy.networking.k8s.io/v1alpha2), skipped");
    }

    @Test
    void clusterNetworkPoliciesAreReadBesideAdminNetworkPolicies() throws Exception {
        ClusterSnapshot s = TestInputs.load("cluster/policies", "cnp/cluster-network-policies.yaml");

        String file = path("cnp/cluster-network-policies.yaml").toString();
        AdminPolicy admin = TestInputs.admin(s, "block-internet");
        assertThat(admin.ref())
                .isEqualTo(new ObjectRef(
                        "ClusterNetworkPolicy",
                        "",
                        "block-internet",
                        "0f4e8a52-0000-4000-8000-00000000c001",
                        SourceRef.of(file, 0)));
        assertThat(admin.tier()).isEqualTo(Tier.ADMIN);
        assertThat(admin.priority()).isEqualTo(20);
        assertThat(admin.readProblems()).isEmpty();
        AdminPolicy baseline = TestInputs.admin(s, "baseline-dns");
        assertThat(baseline.tier()).isEqualTo(Tier.BASELINE);
        assertThat(baseline.priority()).isEqualTo(5);
        assertThat(baseline.ref().source()).isEqualTo(SourceRef.of(file, 1));
        assertThat(s.adminPolicies().stream().map(p -> p.ref().kind()).distinct())
                .containsExactlyInAnyOrder("AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "ClusterNetworkPolicy");
        assertThat(s.loadDiagnostics()).isEmpty();
    }

    @Test
    void aClusterNetworkPolicyDefinedTwiceIsADuplicate(@TempDir Path dir) throws Exception {
        String cnp = "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n"
                + "metadata: {name: twice}\nspec: {tier: Admin, priority: 1, subject: {namespaces: {}}}\n";
        Files.writeString(dir.resolve("a.yaml"), cnp);
        Files.writeString(dir.resolve("b.yaml"), cnp);

        assertThatThrownBy(() -> SnapshotLoader.load(List.of(dir)))
                .isInstanceOf(SnapshotLoadException.class)
                .hasMessageContaining("ClusterNetworkPolicy/twice")
                .hasMessageContaining("a.yaml")
                .hasMessageContaining("b.yaml");
    }
}
