package io.ovsanp.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.devapiserver.DevApiServer;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log end to end (README, "Watching it work"): {@code bin/ovs-anp run} in agent mode against
 * the mock API and a real ovs-vswitchd, two Deny policies of which one carries the annotation {@code
 * ovs-anp.io/log: "true"}; real packets through the switch's pipeline. The annotated policy's denied
 * connection is one JSON line naming node, pod, destination, verdict and rule; the other policy's is
 * not logged; removing the annotation through the API removes the copy from the flows and the lines
 * stop, while the deny keeps counting.
 */
class AuditRunIT {
    private static final Path REPO = ControllerLoopIT.repo();
    private static final String POLICIES = """
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata:
              name: logged
              annotations: {ovs-anp.io/log: "true"}
            spec:
              priority: 20
              subject: {namespaces: {}}
              egress:
              - name: no-dns-to-documentation-net
                action: Deny
                to: [{networks: [203.0.113.0/24]}]
                ports: [{portNumber: {protocol: UDP, port: 53}}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata:
              name: quiet
            spec:
              priority: 21
              subject: {namespaces: {}}
              egress:
              - name: no-dns-to-test-net-2
                action: Deny
                to: [{networks: [198.51.100.0/24]}]
                ports: [{portNumber: {protocol: UDP, port: 53}}]
            """;

    @TempDir
    Path dir;

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void dns(Bridge bridge, String dst, int srcPort) {
        bridge.sendThroughPipeline(
                "udp,nw_src=10.244.1.10,nw_dst=" + dst + ",nw_ttl=64,udp_src=" + srcPort + ",udp_dst=53");
    }

    @Test
    void anAnnotatedPolicysDeniedConnectionIsOneLineAndTheAnnotationTurnsItOff() throws Exception {
        Needs.ovs();
        Path policies = dir.resolve("policies.yaml");
        Files.writeString(policies, POLICIES);
        Path log = dir.resolve("audit.log");
        KubernetesMockServer server =
                DevApiServer.start(0, List.of(REPO.resolve("examples/node-ports-blocked/cluster.yaml"), policies));
        try (PrivateOvs ovs = PrivateOvs.start();
                KubernetesClient client = server.createClient()) {
            Bridge bridge = ovs.addBridge("br-int");
            try (OvsAnpProcess run = OvsAnpProcess.start(
                    REPO,
                    "run",
                    "--node",
                    "worker-1",
                    "--switch",
                    "unix:" + bridge.mgmtSocket(),
                    "--server",
                    "http://127.0.0.1:" + server.getPort(),
                    "--metrics-address",
                    "127.0.0.1:0",
                    "--audit-log",
                    log.toString(),
                    "--audit-log-format",
                    "json",
                    "--audit-log-rate",
                    "1000")) {
                run.waitFor(
                        () -> bridge.dumpFlows().stream()
                                        .anyMatch(f -> f.contains("nw_dst=203.0.113.0/24")
                                                && f.contains("controller(max_len=128,meter_id=42405)"))
                                && bridge.dumpFlows().stream()
                                        .anyMatch(f ->
                                                f.contains("nw_dst=198.51.100.0/24") && f.contains("actions=drop")),
                        "the annotated policy's copy and the other's plain drop");

                dns(bridge, "203.0.113.5", 40000);
                dns(bridge, "198.51.100.5", 40001);
                run.waitFor(() -> !lines(log).isEmpty(), Duration.ofSeconds(30), "an audit line");
                dns(bridge, "198.51.100.5", 40002); // after the logged one: had it been copied, it would follow
                run.waitFor(
                        () -> bridge.packetsOf("nw_dst=198.51.100.0/24") == 2,
                        Duration.ofSeconds(30),
                        "the quiet policy's drops counted");
                Thread.sleep(500); // a copy of the quiet drops, were there one, has reached the writer
                assertThat(lines(log)).as(run.output()).hasSize(1);
                assertThat(lines(log).get(0))
                        .contains("\"node\":\"worker-1\"")
                        .contains("\"srcIp\":\"10.244.1.10\",\"srcPod\":\"shop/web\"")
                        .contains("\"dstIp\":\"203.0.113.5\"")
                        .contains("\"protocol\":\"UDP\",\"port\":53")
                        .contains("\"verdict\":\"Deny\",\"tier\":\"Admin\"")
                        .contains("\"policy\":\"AdminNetworkPolicy/logged\"")
                        .contains("\"ruleIndex\":0,\"ruleName\":\"no-dns-to-documentation-net\"");

                client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                        .withName("logged")
                        .edit(r -> {
                            r.getMetadata().getAnnotations().remove("ovs-anp.io/log");
                            return r;
                        });
                run.waitFor(
                        () -> bridge.dumpFlows().stream()
                                .anyMatch(f -> f.contains("nw_dst=203.0.113.0/24") && f.contains("actions=drop")),
                        "the copy gone from the flows");
                long denied = bridge.packetsOf("nw_dst=203.0.113.0/24");
                dns(bridge, "203.0.113.5", 40003);
                run.waitFor(
                        () -> bridge.packetsOf("nw_dst=203.0.113.0/24") == denied + 1,
                        Duration.ofSeconds(30),
                        "the deny still counting");
                Thread.sleep(500);
                assertThat(lines(log)).as("no line once the annotation is gone").hasSize(1);
            }
        } finally {
            DevApiServer.stop(server);
        }
    }
}
