package io.ovsanp.it.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.BackgroundProcess;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPv6 pods behind the standalone pipeline resolve each other by neighbour discovery, with real
 * packets and no static neighbour entries: the solicitation goes to a solicited-node multicast
 * address (ff02::/16, passed by the classifier), the advertisement answering it is unicast, which
 * OVS's conntrack marks invalid; the classifier passes neighbour discovery before conntrack, as it
 * passes ARP. Found in the lab, where IPv6 pods could not resolve their gateway.
 */
class Ipv6NeighboursIT {
    private static final Path REPO =
            Path.of(System.getProperty("ovsanp.repo", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private PrivateOvs ovs;
    private final List<String> netns = new ArrayList<>();
    private BackgroundProcess server;

    private static Command.Result run(String... command) {
        return Command.of(command).mergeStderr().run();
    }

    private String pod(String name, String v4, String v6) throws Exception {
        String ns = "ovsanp-v6-" + name + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 44);
        assertThat(run("ip", "netns", "add", ns).exit()).isZero();
        netns.add(ns);
        ovs.attachPod(
                REPO,
                ns,
                "v" + ns.substring(ns.length() - 5) + name,
                "br-int",
                "--address",
                v4 + "/24",
                "--gateway",
                "10.244.1.1",
                "--address6",
                v6 + "/64");
        return ns;
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        for (String ns : netns) {
            run("ip", "netns", "del", ns);
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    @Test
    void ipv6PodsResolveEachOtherThroughThePipelineAndPolicyStillApplies() throws Exception {
        Needs.ovs();
        ovs = PrivateOvs.start();
        Bridge br = ovs.addBridge("br-int");
        String a = pod("a", "10.244.1.2", "fd00:10:244::2");
        String b = pod("b", "10.244.1.3", "fd00:10:244::3");
        Files.writeString(dir.resolve("cluster.yaml"), """
                apiVersion: v1
                kind: Node
                metadata: {name: n1}
                status: {addresses: [{type: InternalIP, address: 192.168.56.11}]}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: shop, labels: {app: a}}
                spec: {nodeName: n1, containers: [{name: c, image: agnhost}]}
                status: {podIP: 10.244.1.2, podIPs: [{ip: 10.244.1.2}, {ip: "fd00:10:244::2"}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: b, namespace: shop, labels: {app: b}}
                spec: {nodeName: n1, containers: [{name: c, image: agnhost}]}
                status: {podIP: 10.244.1.3, podIPs: [{ip: 10.244.1.3}, {ip: "fd00:10:244::3"}]}
                ---
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: a-may-not-reach-b-on-9090}
                spec:
                  priority: 10
                  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}}
                  egress:
                  - name: deny
                    action: Deny
                    to: [{networks: ["fd00:10:244::3/128"]}]
                    ports: [{portNumber: {protocol: TCP, port: 9090}}]
                """);
        Command.Result sync = SyncCliIT.ovsAnp(
                ovs, "sync", "--once", "--cluster", dir.toString(), "--node", "n1", "--switch", br.target());
        assertThat(sync.exit()).as(sync.output()).isZero();
        server = Command.of("nc", "-6", "-lk", "8080")
                .inNetns(b)
                .mergeStderr()
                .start(dir.resolve("nc.log"), dir.resolve("nc.log"));
        String flows = String.join("\n", br.dumpFlows());

        Command.Result ping = run("ip", "netns", "exec", a, "ping", "-6", "-c", "1", "-W", "3", "fd00:10:244::3");
        assertThat(ping.exit())
                .as(
                        "ping -6 between two pods, neighbours resolved through the pipeline:%n%s%nflows:%n%s%nneighbours: %s",
                        ping.output(), flows, run("ip", "-n", a, "-6", "neigh").output())
                .isZero();
        Command.Result open = run("ip", "netns", "exec", a, "nc", "-6", "-vz", "-w", "3", "fd00:10:244::3", "8080");
        assertThat(open.exit()).as("TCP over IPv6, allowed: " + open.output()).isZero();
        Command.Result denied = run("ip", "netns", "exec", a, "nc", "-6", "-vz", "-w", "2", "fd00:10:244::3", "9090");
        assertThat(denied.output())
                .as("the Deny still applies over IPv6: dropped, not refused")
                .contains("timed out");
    }
}
