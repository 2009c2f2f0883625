package io.ovsanp.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.ovsanp.controller.cli.Main;
import io.ovsanp.controller.cli.OpsOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** deploy/: every document is a known model with no unknown field, and the workloads are wired right. */
class ManifestsTest {
    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)");
    private static final String MGMT_SOCKET = "/var/run/openvswitch/br-int.mgmt";
    private static final String CENTRAL_TLS_SECRET = "ovs-anp-central-tls";

    static <T> T only(List<HasMetadata> all, Class<T> type) {
        return type.cast(one(all, type::isInstance, type.getSimpleName()));
    }

    private static <T> T one(List<T> items, Predicate<T> which, String what) {
        List<T> of = items.stream().filter(which).toList();
        assertThat(of).as(what).hasSize(1);
        return of.get(0);
    }

    static PodSpec podOf(HasMetadata h) {
        return h instanceof DaemonSet ds
                ? ds.getSpec().getTemplate().getSpec()
                : h instanceof StatefulSet d ? d.getSpec().getTemplate().getSpec() : null;
    }

    /** The objects of both overlays. */
    private static List<HasMetadata> both() throws Exception {
        List<HasMetadata> all = new ArrayList<>();
        for (String mode : Manifests.OVERLAYS) {
            all.addAll(Manifests.load(mode));
        }
        return all;
    }

    @Test
    void eachOverlayHasItsModesObjectsEachAKnownModel() throws Exception {
        List<String> common = List.of("Namespace", "ConfigMap", "ServiceAccount", "ClusterRole", "ClusterRoleBinding");
        List<String> agent = new ArrayList<>(common);
        agent.addAll(List.of("Role", "RoleBinding", "Role", "RoleBinding", "DaemonSet"));
        List<String> central = new ArrayList<>(common);
        central.addAll(
                List.of("Role", "RoleBinding", "Role", "RoleBinding", "StatefulSet", "Service", "Service", "Service"));
        Map<String, List<String>> kinds = Map.of(Manifests.AGENT, agent, Manifests.CENTRAL, central);
        for (String mode : Manifests.OVERLAYS) {
            List<HasMetadata> all = Manifests.load(mode);
            assertThat(all)
                    .as(mode)
                    .extracting(h -> h.getClass().getSimpleName())
                    .containsExactlyInAnyOrderElementsOf(kinds.get(mode));
            checkSettings(all);
        }
    }

    /** The ConfigMap's keys, and every setting a workload reads from it exists there. */
    private static void checkSettings(List<HasMetadata> all) {
        Map<String, String> settings = only(all, ConfigMap.class).getData();
        assertThat(settings)
                .containsOnlyKeys(
                        "audit-interval",
                        "service-vips",
                        "agent-metrics-port",
                        "central-metrics-address",
                        "first-table",
                        "max-tables",
                        "reserved-tables",
                        "exit",
                        "conntrack",
                        "ct-zone",
                        "source-identity");
        for (HasMetadata h : all) {
            PodSpec pod = podOf(h);
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
    void agentSeesOnlyTheManagementSocketOfItsNodesBridge() throws Exception {
        DaemonSet ds = only(Manifests.load(Manifests.AGENT), DaemonSet.class);
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        Container c = checkWorkload(pod, "ovs-anp-agent", List.of("--node", "$(NODE_NAME)", "--switch"));
        assertThat(c.getArgs()).contains("unix:" + MGMT_SOCKET);
        EnvVar node = c.getEnv().stream()
                .filter(e -> e.getName().equals("NODE_NAME"))
                .findFirst()
                .orElseThrow();
        assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");

        // one host path, the socket file itself: not /var/run/openvswitch, whose db.sock controls the whole switch
        Volume socket = one(pod.getVolumes(), v -> v.getHostPath() != null, "hostPath volume");
        assertThat(socket.getHostPath().getPath()).isEqualTo(MGMT_SOCKET);
        assertThat(socket.getHostPath().getType()).isEqualTo("Socket");
        assertThat(c.getVolumeMounts())
                .filteredOn(m -> m.getName().equals(socket.getName()))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getMountPath()).isEqualTo(MGMT_SOCKET);
                    assertThat(m.getReadOnly()).isTrue();
                });
        assertThat(c.getVolumeMounts())
                .extracting(VolumeMount::getMountPath)
                .noneMatch(p -> MGMT_SOCKET.startsWith(p.endsWith("/") ? p : p + "/"));
        // the node's network (see the DaemonSet's comment), and nothing else of the host's
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
        checkFlags(c.getArgs());
    }

    @Test
    void workloadsRunWithoutCapabilitiesEscalationOrWritableImage() throws Exception {
        Set<String> root = new HashSet<>();
        for (HasMetadata h : both()) {
            PodSpec pod = podOf(h);
            if (pod == null) continue;
            String what = h.getKind() + "/" + h.getMetadata().getName();
            PodSecurityContext p = Objects.requireNonNullElseGet(pod.getSecurityContext(), PodSecurityContext::new);
            for (Container c : pod.getContainers()) {
                SecurityContext s = c.getSecurityContext();
                assertThat(s).as(what).isNotNull();
                assertThat(s.getPrivileged()).as(what).isNotEqualTo(Boolean.TRUE);
                assertThat(s.getAllowPrivilegeEscalation()).as(what).isFalse();
                assertThat(s.getReadOnlyRootFilesystem()).as(what).isTrue();
                assertThat(s.getCapabilities().getDrop()).as(what).containsExactly("ALL");
                assertThat(s.getCapabilities().getAdd()).as(what).isNullOrEmpty();
                var seccomp = s.getSeccompProfile() != null ? s.getSeccompProfile() : p.getSeccompProfile();
                assertThat(seccomp).as(what + " seccompProfile").isNotNull();
                assertThat(seccomp.getType()).as(what).isEqualTo("RuntimeDefault");
                Long uid = s.getRunAsUser() != null ? s.getRunAsUser() : p.getRunAsUser();
                Boolean nonRoot = s.getRunAsNonRoot() != null ? s.getRunAsNonRoot() : p.getRunAsNonRoot();
                assertThat(uid).as(what + " runAsUser").isNotNull();
                if (uid == 0) {
                    root.add(what);
                } else {
                    assertThat(nonRoot).as(what + " runAsNonRoot").isTrue();
                }
            }
        }
        // uid 0 only where the root-owned OVS socket demands it (see the comment in the DaemonSet)
        assertThat(root).containsExactly("DaemonSet/ovs-anp-agent");
    }

    @Test
    void centralReplicasListenOnPsslWithTheirCertificateFromTheSecret() throws Exception {
        List<HasMetadata> all = Manifests.load(Manifests.CENTRAL);
        StatefulSet d = only(all, StatefulSet.class);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container c = checkWorkload(pod, "ovs-anp-central", List.of("--listen", "pssl:6653"));
        assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null);

        Volume tls = one(pod.getVolumes(), v -> v.getSecret() != null, "Secret volume");
        assertThat(tls.getSecret().getSecretName()).isEqualTo(CENTRAL_TLS_SECRET);
        VolumeMount mount =
                one(c.getVolumeMounts(), m -> m.getName().equals(tls.getName()), "mount of " + tls.getName());
        assertThat(mount.getReadOnly()).isTrue();
        Map<String, String> files = new HashMap<>();
        for (KeyToPath item : tls.getSecret().getItems()) {
            files.put(item.getKey(), mount.getMountPath() + "/" + item.getPath());
        }
        assertThat(c.getArgs())
                .contains(
                        "--tls-key=" + files.get("tls.key"),
                        "--tls-cert=" + files.get("tls.crt"),
                        "--tls-ca=" + files.get("ca.crt"));
        assertThat(files).containsOnlyKeys("tls.key", "tls.crt", "ca.crt");

        assertThat(c.getPorts())
                .filteredOn(p -> p.getName().equals("openflow"))
                .extracting(ContainerPort::getContainerPort)
                .containsExactly(6653);
        // every switch dials every replica (one Service each); the Lease and the switches' OpenFlow
        // roles decide which one writes, so the replicas need not start in order
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        checkReplicaServices(all, d);
        // the Lease the RBAC Role names is the one the StatefulSet elects on
        String lease = c.getArgs().get(c.getArgs().indexOf("--lease-name") + 1);
        Role leases = all.stream()
                .filter(h -> h instanceof Role r && r.getMetadata().getName().equals("ovs-anp-central-leases"))
                .map(Role.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(leases.getRules())
                .anySatisfy(r -> assertThat(r.getResourceNames()).containsExactly(lease));
        assertThat(leases.getMetadata().getNamespace())
                .isEqualTo(d.getMetadata().getNamespace());
        checkFlags(c.getArgs());
    }

    @Test
    void noManifestAcceptsUnauthenticatedSwitches() throws Exception {
        KubernetesSerialization json = new KubernetesSerialization();
        for (HasMetadata h : both()) {
            String text = json.asJson(h);
            assertThat(text)
                    .as(h.getKind() + "/" + h.getMetadata().getName())
                    .doesNotContain("ptcp:")
                    .doesNotContain("--allow-unauthenticated-switches");
            PodSpec pod = podOf(h);
            if (pod == null) continue;
            for (Container c : pod.getContainers()) {
                int listen = c.getArgs().indexOf("--listen");
                if (listen >= 0) {
                    assertThat(c.getArgs().get(listen + 1)).startsWith("pssl:");
                }
            }
        }
    }

    @Test
    void eachModeServesMetricsAndHealthWhereItsProbesGo() throws Exception {
        // central, on the pod network: every interface of the pod (kubelet's probes go to the pod IP)
        List<HasMetadata> central = Manifests.load(Manifests.CENTRAL);
        Container cc = podOf(only(central, StatefulSet.class)).getContainers().get(0);
        String address = only(central, ConfigMap.class).getData().get(settingOf(cc, "METRICS_ADDRESS"));
        int colon = address.lastIndexOf(':');
        assertThat(address.substring(0, colon)).as("central-metrics-address").isIn("", "0.0.0.0", "[::]");
        assertThat(probePort(cc)).isEqualTo(Integer.parseInt(address.substring(colon + 1)));
        assertThat(cc.getArgs()).contains("--metrics-address=$(METRICS_ADDRESS)");

        // the agent, on the host network: the node's own address (the pod IP is the node's), on the
        // port the ConfigMap sets, which is also the port the probes use
        List<HasMetadata> agent = Manifests.load(Manifests.AGENT);
        Container ac = podOf(only(agent, DaemonSet.class)).getContainers().get(0);
        assertThat(ac.getArgs()).contains("--metrics-address=[$(POD_IP)]:$(METRICS_PORT)");
        assertThat(ac.getEnv())
                .filteredOn(e -> e.getName().equals("POD_IP"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                        .isEqualTo("status.podIP"));
        String port = only(agent, ConfigMap.class).getData().get(settingOf(ac, "METRICS_PORT"));
        assertThat(settingOf(ac, "METRICS_PORT")).isEqualTo("agent-metrics-port");
        assertThat(probePort(ac)).isEqualTo(Integer.parseInt(port));
        int p = Integer.parseInt(port);
        assertThat(p != 9090 && (p < 9100 || p > 9999) && (p < 10248 || p > 10260))
                .as(
                        "agent-metrics-port %d: not Prometheus' 9090, the exporters' 9100-9999 or Kubernetes'"
                                + " 10248-10260",
                        p)
                .isTrue();
        // both address families parse as `ovs-anp run --metrics-address` reads them
        for (String podIp : List.of("192.0.2.7", "2001:db8::7")) {
            String arg = "[" + podIp + "]:" + port;
            OpsOptions ops = CommandLine.populateCommand(new OpsOptions(), "--metrics-address=" + arg);
            assertThat(ops.metricsAddress()).as(arg).hasValueSatisfying(a -> {
                assertThat(a.getAddress().getHostAddress()).isIn(podIp, "2001:db8:0:0:0:0:0:7");
                assertThat(a.getPort()).isEqualTo(Integer.parseInt(port));
            });
        }
    }

    /** The ConfigMap key of the container's environment variable {@code name}. */
    private static String settingOf(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name))
                .getValueFrom()
                .getConfigMapKeyRef()
                .getKey();
    }

    /** The container port every probe names: they must all go to the same one, where the ops server is. */
    static int probePort(Container c) {
        Set<String> names = new HashSet<>();
        for (var probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
            names.add(probe.getHttpGet().getPort().getStrVal());
        }
        assertThat(names).as("the probes' port").hasSize(1);
        String name = names.iterator().next();
        return c.getPorts().stream()
                .filter(p -> p.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port " + name))
                .getContainerPort();
    }

    /**
     * One Service per replica, each selecting that replica by its pod name, with the OpenFlow port
     * only and also while not ready; and the headless governing Service for the metrics.
     */
    static void checkReplicaServices(List<HasMetadata> all, StatefulSet sts) {
        String name = sts.getMetadata().getName();
        List<Service> services = all.stream()
                .filter(Service.class::isInstance)
                .map(Service.class::cast)
                .toList();
        Set<String> perReplica = new HashSet<>();
        for (int i = 0; i < sts.getSpec().getReplicas(); i++) {
            perReplica.add(name + "-" + i);
        }
        for (Service s : services) {
            String what = "Service " + s.getMetadata().getName();
            if (perReplica.contains(s.getMetadata().getName())) {
                assertThat(s.getSpec().getSelector())
                        .as(what)
                        .containsExactly(Map.entry(
                                "statefulset.kubernetes.io/pod-name",
                                s.getMetadata().getName()));
                assertThat(s.getSpec().getPorts()).as(what).singleElement().satisfies(p -> {
                    assertThat(p.getPort()).isEqualTo(6653);
                    assertThat(p.getTargetPort().getStrVal()).isEqualTo("openflow");
                });
                assertThat(s.getSpec().getPublishNotReadyAddresses()).as(what).isTrue();
                assertThat(s.getSpec().getClusterIP()).as(what).isNull(); // a stable ClusterIP of its own
            } else {
                assertThat(s.getMetadata().getName())
                        .as(what)
                        .isEqualTo(sts.getSpec().getServiceName());
                assertThat(s.getSpec().getClusterIP()).as(what).isEqualTo("None");
                assertThat(s.getSpec().getSelector())
                        .as(what)
                        .isEqualTo(sts.getSpec().getTemplate().getMetadata().getLabels());
                assertThat(s.getSpec().getPorts())
                        .as(what + ": metrics only")
                        .extracting(p -> p.getPort())
                        .containsExactly(9090);
            }
        }
        assertThat(services)
                .extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(
                        concat(perReplica, sts.getSpec().getServiceName()));
    }

    private static List<String> concat(Set<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    /** The container's image, service account, probes and $(VAR) references; returns the container. */
    private static Container checkWorkload(PodSpec pod, String serviceAccount, List<String> argsInOrder) {
        assertThat(pod.getServiceAccountName()).isEqualTo(serviceAccount);
        assertThat(pod.getContainers()).hasSize(1);
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).startsWith("ovs-anp"); // the tag: KustomizeRenderTest
        assertThat(c.getArgs().get(0)).isEqualTo("run");
        assertThat(String.join(" ", c.getArgs())).contains(String.join(" ", argsInOrder));
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
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
