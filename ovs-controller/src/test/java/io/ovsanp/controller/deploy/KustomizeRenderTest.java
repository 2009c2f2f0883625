package io.ovsanp.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.ovsanp.controller.cli.Main;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl kustomize deploy/overlays/agent} and {@code .../central} as a user applies them
 * (skipped, naming what is missing, where kubectl with kustomize v5 is not installed): each overlay
 * holds its own mode's objects only, in the namespace ovs-anp, under its own ServiceAccount, with the
 * release's image tag; the agent on the node's network with the OVS socket and probes that outlast
 * the first sync; central as two replicas each behind a Service of its own.
 */
class KustomizeRenderTest {
    private static final String NAMESPACE = "ovs-anp";
    private static final Map<String, String> ACCOUNT =
            Map.of(Manifests.AGENT, "ovs-anp-agent", Manifests.CENTRAL, "ovs-anp-central");
    private static final String COMPONENT = "app.kubernetes.io/component";

    @Test
    void eachOverlayHoldsOnlyItsModeInItsNamespaceUnderItsOwnAccount() {
        for (String mode : Manifests.OVERLAYS) {
            List<HasMetadata> all = Manifests.rendered(mode);
            String other = mode.equals(Manifests.AGENT) ? Manifests.CENTRAL : Manifests.AGENT;
            for (HasMetadata h : all) {
                String what = mode + ": " + h.getKind() + "/" + h.getMetadata().getName();
                assertThat(h.getMetadata().getName()).as(what).doesNotContain(other);
                assertThat(h.getMetadata().getLabels()).as(what).doesNotContainEntry(COMPONENT, other);
                if (h instanceof Namespace || h instanceof ClusterRole || h instanceof ClusterRoleBinding) {
                    continue;
                }
                // the one exception: the Role (and its binding) to create the policies' Events, which
                // are recorded in `default`
                boolean events = h.getMetadata().getName().equals(ACCOUNT.get(mode) + "-events")
                        && (h instanceof Role || h instanceof RoleBinding);
                assertThat(h.getMetadata().getNamespace()).as(what).isEqualTo(events ? "default" : NAMESPACE);
            }
            assertThat(all)
                    .filteredOn(ServiceAccount.class::isInstance)
                    .extracting(h -> h.getMetadata().getNamespace() + "/"
                            + h.getMetadata().getName())
                    .as(mode + ": its own ServiceAccount only")
                    .containsExactly(NAMESPACE + "/" + ACCOUNT.get(mode));
            for (HasMetadata h : all) {
                List<Subject> subjects = h instanceof RoleBinding b
                        ? b.getSubjects()
                        : h instanceof ClusterRoleBinding b ? b.getSubjects() : null;
                if (subjects != null) {
                    assertThat(subjects)
                            .as(mode + ": subjects of " + h.getKind() + "/"
                                    + h.getMetadata().getName())
                            .extracting(s -> s.getKind() + " " + s.getNamespace() + "/" + s.getName())
                            .containsExactly("ServiceAccount " + NAMESPACE + "/" + ACCOUNT.get(mode));
                }
            }
            List<PodSpec> pods = all.stream()
                    .map(ManifestsTest::podOf)
                    .filter(p -> p != null)
                    .toList();
            assertThat(pods)
                    .as(mode + ": one workload")
                    .singleElement()
                    .satisfies(p -> assertThat(p.getServiceAccountName()).isEqualTo(ACCOUNT.get(mode)));
        }
    }

    @Test
    void theImageTagIsTheProjectVersion() throws Exception {
        String version = projectVersion().replaceFirst("-SNAPSHOT$", "");
        for (String mode : Manifests.OVERLAYS) {
            PodSpec pod = workload(Manifests.rendered(mode));
            assertThat(pod.getContainers())
                    .as(mode)
                    .extracting(Container::getImage)
                    .containsOnly("ovs-anp:" + version);
        }
    }

    @Test
    void theAgentRunsOnTheNodesNetworkWithTheSocketAndProbesThatOutlastTheFirstSync() throws Exception {
        List<HasMetadata> all = Manifests.rendered(Manifests.AGENT);
        DaemonSet ds = ManifestsTest.only(all, DaemonSet.class);
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        Container c = pod.getContainers().get(0);
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getHostPath() != null)
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.getHostPath().getPath()).isEqualTo("/var/run/openvswitch/br-int.mgmt");
                    assertThat(c.getVolumeMounts())
                            .filteredOn(m -> m.getName().equals(v.getName()))
                            .singleElement()
                            .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/var/run/openvswitch/br-int.mgmt"));
                });
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        // the port the ConfigMap sets, copied into the container port the probes name
        String port = ManifestsTest.only(all, ConfigMap.class).getData().get("agent-metrics-port");
        assertThat(ManifestsTest.probePort(c)).isEqualTo(Integer.parseInt(port));
        checkStartupOutlastsTheFirstSync(c.getStartupProbe());
    }

    @Test
    void centralRunsTwoReplicasEachBehindAServiceOfItsOwn() {
        List<HasMetadata> all = Manifests.rendered(Manifests.CENTRAL);
        StatefulSet sts = ManifestsTest.only(all, StatefulSet.class);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        ManifestsTest.checkReplicaServices(all, sts);
        Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        checkStartupOutlastsTheFirstSync(c.getStartupProbe());
    }

    /**
     * The startup probe gives up no sooner than {@code ovs-anp run} itself does when the first sync
     * takes too long ({@code --sync-timeout}'s default), and it asks {@code /healthz}.
     */
    private static void checkStartupOutlastsTheFirstSync(Probe startup) {
        String syncTimeout = Main.commandLine()
                .getSubcommands()
                .get("run")
                .getCommandSpec()
                .findOption("--sync-timeout")
                .defaultValue();
        Duration sync = Duration.parse("PT" + syncTimeout.toUpperCase());
        assertThat(startup.getHttpGet().getPath()).isEqualTo("/healthz");
        Duration patience = Duration.ofSeconds((long) startup.getPeriodSeconds() * startup.getFailureThreshold());
        assertThat(patience).as("failureThreshold × periodSeconds").isGreaterThan(sync);
    }

    private static PodSpec workload(List<HasMetadata> all) {
        return all.stream()
                .map(ManifestsTest::podOf)
                .filter(p -> p != null)
                .findFirst()
                .orElseThrow();
    }

    /** {@code /project/version} of the root pom.xml. */
    static String projectVersion() throws Exception {
        Path pom = Manifests.directory().resolve("../pom.xml").normalize();
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        String v = XPathFactory.newInstance().newXPath().evaluate("/project/version", doc);
        assertThat(v).as("version of " + pom).isNotBlank();
        return v;
    }
}
