package io.ovsanp.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.ovsanp.controller.cli.Main;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** deploy/: every document is a known model with no unknown field, and the workloads are wired right. */
class ManifestsTest {
    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)");

    private static <T> T only(List<HasMetadata> all, Class<T> type) {
        List<T> of = all.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(of).as(type.getSimpleName()).hasSize(1);
        return of.get(0);
    }

    @Test
    void everyDocumentLoadsIntoItsModelClass() throws Exception {
        List<HasMetadata> all = Manifests.load();
        assertThat(all)
                .extracting(h -> h.getClass().getSimpleName())
                .containsExactlyInAnyOrder(
                        "Namespace",
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding",
                        "Role",
                        "RoleBinding",
                        "ConfigMap",
                        "DaemonSet",
                        "Deployment",
                        "Service");
        for (HasMetadata h : all) {
            if (!(h instanceof Namespace || h instanceof ClusterRole || h instanceof ClusterRoleBinding)) {
                assertThat(h.getMetadata().getNamespace())
                        .as(h.getKind() + "/" + h.getMetadata().getName())
                        .isIn("ovs-anp", "default");
            }
        }
        assertThat(only(all, ServiceAccount.class).getMetadata().getName()).isEqualTo("ovs-anp");
        Map<String, String> settings = only(all, ConfigMap.class).getData();
        assertThat(settings)
                .containsOnlyKeys(
                        "audit-interval",
                        "service-vips",
                        "metrics-address",
                        "first-table",
                        "max-tables",
                        "reserved-tables",
                        "exit",
                        "conntrack",
                        "ct-zone",
                        "source-identity");
        // every setting a workload reads from the ConfigMap exists there
        for (HasMetadata h : all) {
            PodSpec pod = h instanceof DaemonSet ds
                    ? ds.getSpec().getTemplate().getSpec()
                    : h instanceof Deployment d ? d.getSpec().getTemplate().getSpec() : null;
            if (pod == null) continue;
            pod.getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null)
                    .forEach(e -> assertThat(settings)
                            .as(h.getKind() + " env " + e.getName())
                            .containsKey(e.getValueFrom().getConfigMapKeyRef().getKey()));
        }
    }

    @Test
    void unknownFieldsAreRefused() {
        assertThatThrownBy(
                        () -> Manifests.typed(
                                "typo",
                                "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"x\"},"
                                        + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"imagePullPolcy\":\"Always\"}]}}}}"))
                .hasMessageContaining("spec.template.spec.containers[0].imagePullPolcy");
        assertThatThrownBy(() -> Manifests.typed(
                        "kind", "{\"apiVersion\":\"v1\",\"kind\":\"NoSuchKind\",\"metadata\":{\"name\":\"x\"}}"))
                .hasMessageContaining("no model class");
    }

    @Test
    void agentDaemonSetIsWiredToTheNodeAndTheLocalSwitch() throws Exception {
        DaemonSet ds = only(Manifests.load(), DaemonSet.class);
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        Container c = checkWorkload(pod, "ovs-anp", List.of("--node", "$(NODE_NAME)", "--switch"));
        assertThat(c.getArgs()).contains("unix:/var/run/openvswitch/br-int.mgmt");
        EnvVar node = c.getEnv().stream()
                .filter(e -> e.getName().equals("NODE_NAME"))
                .findFirst()
                .orElseThrow();
        assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getHostPath() != null)
                .singleElement()
                .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/var/run/openvswitch"));
        assertThat(c.getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/run/openvswitch"));
        checkFlags(c.getArgs());
    }

    @Test
    void centralDeploymentRunsTwoReplicasOnOneLeaseBehindAService() throws Exception {
        List<HasMetadata> all = Manifests.load();
        Deployment d = only(all, Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        Container c = checkWorkload(
                d.getSpec().getTemplate().getSpec(),
                "ovs-anp",
                List.of("--listen", "ptcp:6653", "--lease-name", "ovs-anp"));
        Service s = only(all, Service.class);
        assertThat(s.getSpec().getSelector())
                .isEqualTo(d.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(s.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactlyInAnyOrder(6653, 9090);
        // the Lease the RBAC Role names is the one the Deployment elects on
        Role leases = all.stream()
                .filter(h -> h instanceof Role r && r.getMetadata().getName().equals("ovs-anp-leases"))
                .map(Role.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(leases.getRules())
                .anySatisfy(r -> assertThat(r.getResourceNames()).containsExactly("ovs-anp"));
        assertThat(leases.getMetadata().getNamespace())
                .isEqualTo(d.getMetadata().getNamespace());
        checkFlags(c.getArgs());
    }

    /** The container's image, service account, probes and $(VAR) references; returns the container. */
    private static Container checkWorkload(PodSpec pod, String serviceAccount, List<String> argsInOrder) {
        assertThat(pod.getServiceAccountName()).isEqualTo(serviceAccount);
        assertThat(pod.getContainers()).hasSize(1);
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("ovs-anp:0.1.0");
        assertThat(c.getArgs().get(0)).isEqualTo("run");
        assertThat(String.join(" ", c.getArgs())).contains(String.join(" ", argsInOrder));
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        Set<String> ports = new HashSet<>();
        c.getPorts().forEach(p -> ports.add(p.getName()));
        assertThat(ports).contains(c.getLivenessProbe().getHttpGet().getPort().getStrVal());
        Set<String> env = new HashSet<>();
        c.getEnv().forEach(e -> env.add(e.getName()));
        for (String a : c.getArgs()) {
            Matcher m = VAR.matcher(a);
            while (m.find()) {
                assertThat(env).as("$(" + m.group(1) + ") in " + a).contains(m.group(1));
            }
        }
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        return c;
    }

    /**
     * Every {@code --flag} of the args exists on {@code ovs-anp run}. Until the run command is part of
     * this build the check is skipped (an assumption, reported as skipped), never passed blindly.
     */
    private static void checkFlags(List<String> args) {
        CommandLine run = Main.commandLine().getSubcommands().get(args.get(0));
        Assumptions.assumeTrue(
                run != null, "no '" + args.get(0) + "' subcommand in this build yet: flags of deploy/ not checked");
        List<String> unknown = new ArrayList<>();
        for (String a : args.subList(1, args.size())) {
            if (a.startsWith("--")) {
                String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (run.getCommandSpec().findOption(flag) == null) {
                    unknown.add(flag);
                }
            }
        }
        assertThat(unknown)
                .as("flags of deploy/ that 'ovs-anp run' does not have")
                .isEmpty();
    }
}
