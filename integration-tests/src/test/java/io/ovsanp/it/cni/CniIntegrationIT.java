package io.ovsanp.it.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.it.run.OvsAnpProcess;
import io.ovsanp.testkit.BackgroundProcess;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ovs-anp as one stage of a CNI's pipeline, on a real ovs-vswitchd with real packets between pod
 * network namespaces. The test plays the CNI with its own cookie: table 0 classifies by ingress port
 * and its spoof guard loads the pod's verified identity (its IPv4 address) into reg6, table 10 runs
 * the CNI's conntrack (zone 7) and hands over to ovs-anp at table 20, and table 40 forwards (NORMAL).
 * ovs-anp may use tables 20..29 and returns allowed packets with goto_table:40.
 */
class CniIntegrationIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String CNI_COOKIE = "0xc0ffee";
    private static final List<String> PLACEMENT = List.of(
            "--first-table",
            "20",
            "--max-tables",
            "10",
            "--reserved-tables",
            "0-19,40-60",
            "--exit",
            "goto:40",
            "--conntrack",
            "cni",
            "--ct-zone",
            "7");

    private PrivateOvs ovs;
    private Bridge br;
    private final List<String> netns = new ArrayList<>();
    private final List<BackgroundProcess> servers = new ArrayList<>();

    @TempDir
    Path dir;

    private static Command.Result ok(List<String> command) {
        Command.Result r = Command.of(command).mergeStderr().run();
        assertThat(r.exit()).as(String.join(" ", command) + "\n" + r.output()).isZero();
        return r;
    }

    private Command.Result ovsAnp(List<String> args) {
        return OvsAnpProcess.run(REPO, Map.of("OVS_RUNDIR", ovs.runDir().toString()), args.toArray(String[]::new));
    }

    private Command.Result sync(String identity) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("sync", "--once", "--cluster", dir.toString(), "--node", "n1", "--switch", br.target()));
        args.addAll(PLACEMENT);
        args.addAll(List.of("--source-identity", identity));
        return ovsAnp(args);
    }

    /** A pod network namespace on br-int through the lab's attach script; returns its ofport. */
    private int pod(String name, String address) throws Exception {
        String ns = "ovsanp-it-" + name + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 44);
        ok(List.of("ip", "netns", "add", ns));
        netns.add(ns);
        int ofport = ovs.attachPod(
                REPO,
                ns,
                "v" + ns.substring(ns.length() - 5) + name,
                "br-int",
                "--address",
                address + "/24",
                "--gateway",
                "10.244.1.1");
        podNs.put(name, ns);
        return ofport;
    }

    private final java.util.Map<String, String> podNs = new java.util.HashMap<>();

    private void serve(String pod, int port) {
        Path log = dir.resolve("nc-" + pod + "-" + port + ".log");
        servers.add(Command.of("nc", "-lk", Integer.toString(port))
                .inNetns(podNs.get(pod))
                .mergeStderr()
                .start(log, log));
    }

    /** TCP connect from {@code pod} (optionally from a forged source address): true when it connects. */
    private boolean connects(String pod, String source, String dst, int port) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", podNs.get(pod), "nc", "-z", "-w", "2"));
        if (source != null) {
            cmd.addAll(List.of("-s", source));
        }
        cmd.addAll(List.of(dst, Integer.toString(port)));
        return Command.of(cmd).run().ok();
    }

    private List<String> cniFlows() throws Exception {
        return ok(List.of(
                        "ovs-ofctl",
                        "-O",
                        "OpenFlow13",
                        "dump-flows",
                        "--no-stats",
                        br.target(),
                        "cookie=" + CNI_COOKIE + "/-1"))
                .output()
                .lines()
                .filter(l -> l.contains("cookie="))
                .map(String::trim)
                .toList();
    }

    private void writeCluster(String deniedPorts) throws IOException {
        Files.writeString(dir.resolve("cluster.yaml"), """
                apiVersion: v1
                kind: Node
                metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
                status: {addresses: [{type: InternalIP, address: 192.168.56.11}]}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {team: shop}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client, namespace: shop, labels: {app: client}}
                spec: {nodeName: n1, containers: [{name: c, image: agnhost}]}
                status: {podIP: 10.244.1.2, podIPs: [{ip: 10.244.1.2}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: server, namespace: shop, labels: {app: server}}
                spec: {nodeName: n1, containers: [{name: s, image: agnhost}]}
                status: {podIP: 10.244.1.3, podIPs: [{ip: 10.244.1.3}]}
                ---
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: client-may-not-reach-server}
                spec:
                  priority: 10
                  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}}
                  egress:
                  - name: deny
                    action: Deny
                    to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: server}}}}]
                    ports: [%s]
                """.formatted(deniedPorts));
    }

    @BeforeEach
    void start() throws Exception {
        Needs.ovs();
        ovs = PrivateOvs.start();
        br = ovs.addBridge("br-int");
        int client = pod("client", "10.244.1.2");
        int server = pod("server", "10.244.1.3");
        // The CNI: spoof guard by ingress port (identity = the pod's IPv4 address, 10.244.1.x), its
        // conntrack in zone 7, the hand-over to ovs-anp at table 20, L2 forwarding at table 40.
        br.addFlows(String.join(
                "\n",
                "cookie=" + CNI_COOKIE + ",table=0,priority=200,arp,actions=NORMAL",
                "cookie=" + CNI_COOKIE + ",table=0,priority=100,in_port=" + client
                        + ",actions=set_field:0x0af40102->reg6,goto_table:10",
                "cookie=" + CNI_COOKIE + ",table=0,priority=100,in_port=" + server
                        + ",actions=set_field:0x0af40103->reg6,goto_table:10",
                "cookie=" + CNI_COOKIE + ",table=0,priority=0,actions=drop",
                "cookie=" + CNI_COOKIE + ",table=10,priority=10,ip,actions=ct(zone=7,table=20)",
                "cookie=" + CNI_COOKIE + ",table=10,priority=0,actions=goto_table:20",
                "cookie=" + CNI_COOKIE + ",table=40,priority=0,actions=NORMAL"));
        serve("server", 8080);
        serve("server", 9090);
    }

    @AfterEach
    void stop() throws Exception {
        for (BackgroundProcess p : servers) {
            p.close();
        }
        for (String ns : netns) {
            Command.of("ip", "netns", "del", ns).run();
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    @Test
    void theStageJudgesPacketsInsideTheCnisPipelineAndNeverTouchesItsFlows() throws Exception {
        List<String> before = cniFlows();
        assertThat(before).hasSize(7);
        assertThat(connects("client", null, "10.244.1.3", 8080))
                .as("before ovs-anp's stage exists, table 20 misses: dropped")
                .isFalse();

        writeCluster("{portNumber: {protocol: TCP, port: 8080}}");
        Command.Result first = sync("reg6");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(connects("client", null, "10.244.1.3", 9090))
                .as("allowed port, back through the exit")
                .isTrue();
        assertThat(connects("client", null, "10.244.1.3", 8080))
                .as("denied port: dropped")
                .isFalse();
        assertThat(connects("server", null, "10.244.1.2", 22))
                .as("server is no subject")
                .isFalse();

        writeCluster("{portNumber: {protocol: TCP, port: 9090}}");
        for (int i = 0; i < 3; i++) {
            Command.Result again = sync("reg6");
            assertThat(again.exit()).as(again.output()).isZero();
        }
        assertThat(connects("client", null, "10.244.1.3", 8080))
                .as("after the edit")
                .isTrue();
        assertThat(connects("client", null, "10.244.1.3", 9090))
                .as("after the edit")
                .isFalse();

        List<String> diff = new ArrayList<>(List.of(
                "diff",
                "--cluster",
                dir.toString(),
                "--node",
                "n1",
                "--switch",
                br.target(),
                "--source-identity",
                "reg6"));
        diff.addAll(PLACEMENT);
        Command.Result d = ovsAnp(diff);
        assertThat(d.exit()).as(d.output()).isZero();
        assertThat(d.output())
                .doesNotContain(CNI_COOKIE)
                .doesNotContain("table=0,")
                .doesNotContain("table=40");

        assertThat(cniFlows()).as("the CNI's flows, byte for byte").isEqualTo(before);
    }

    @Test
    void withRegisterIdentityAForgedSourceAddressIsStillJudgedAsThePod() throws Exception {
        writeCluster("{portNumber: {protocol: TCP, port: 8080}}");
        ok(List.of("ip", "-n", podNs.get("client"), "addr", "add", "10.244.1.99/24", "dev", "eth0"));

        Command.Result byIp = sync("ip");
        assertThat(byIp.exit()).as(byIp.output()).isZero();
        assertThat(connects("client", null, "10.244.1.3", 8080)).isFalse();
        assertThat(connects("client", "10.244.1.99", "10.244.1.3", 8080))
                .as("identity by source IP: the forged address escapes the Deny (why register identity exists)")
                .isTrue();

        Command.Result byReg = sync("reg6");
        assertThat(byReg.exit()).as(byReg.output()).isZero();
        assertThat(connects("client", "10.244.1.99", "10.244.1.3", 8080))
                .as("identity by reg6: judged as the client pod, denied")
                .isFalse();
        assertThat(connects("client", "10.244.1.99", "10.244.1.3", 9090))
                .as("other ports still allowed")
                .isTrue();
    }

    /** The datapath's cached flows (megaflows) of pass 2, after the CNI's conntrack recirculation. */
    private List<String> megaflows() {
        return ovs.appctl("dpctl/dump-flows")
                .stdout()
                .lines()
                .filter(l -> l.contains("recirc_id(0x") && l.contains("ct_state(+new"))
                .toList();
    }

    private static String guard(int variant) {
        return "ct_mark(0/0x" + Long.toHexString(io.ovsanp.compiler.compile.MegaflowGuard.bit(variant)) + ")";
    }

    /**
     * docs/decisions.md, "Megaflow guard": after a policy change OVS must delete (not modify in place)
     * the cached datapath flows of new connections, because the userspace datapath can modify the wrong
     * one of two overlapping megaflows and leave an allow cached after a Deny. Every new connection's
     * megaflow carries the guard's ct_mark bit in its mask; a change moves the guard to the next bit in
     * the same bundle, so no old megaflow survives the revalidation.
     */
    @Test
    void aPolicyChangeMakesOvsDeleteTheCachedFlowsOfNewConnections() throws Exception {
        writeCluster("{portNumber: {protocol: TCP, port: 8080}}");
        Command.Result first = sync("reg6");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(br.dumpFlows()).as("the guard, variant 0").anyMatch(l -> l.contains("ct_mark=0/0x80000000"));
        assertThat(connects("client", null, "10.244.1.3", 9090)).isTrue();
        assertThat(connects("client", null, "10.244.1.3", 8080)).isFalse();
        List<String> before = megaflows();
        assertThat(before)
                .as("new connections' megaflows carry the guard bit")
                .isNotEmpty()
                .allMatch(l -> l.contains(guard(0)));

        writeCluster("{portNumber: {protocol: TCP, port: 9090}}");
        Command.Result change = sync("reg6");
        assertThat(change.exit()).as(change.output()).isZero();
        assertThat(br.dumpFlows())
                .as("the guard moved with the change")
                .anyMatch(l -> l.contains("ct_mark=0/0x40000000"))
                .noneMatch(l -> l.contains("ct_mark=0/0x80000000"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left =
                megaflows().stream().filter(l -> l.contains(guard(0))).toList();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = megaflows().stream().filter(l -> l.contains(guard(0))).toList();
        }
        assertThat(left)
                .as("megaflows cached before the change, still in the datapath")
                .isEmpty();
        assertThat(connects("client", null, "10.244.1.3", 9090))
                .as("now denied")
                .isFalse();
        assertThat(connects("client", null, "10.244.1.3", 8080))
                .as("now allowed")
                .isTrue();
        assertThat(megaflows()).isNotEmpty().allMatch(l -> l.contains(guard(1)));

        Command.Result same = sync("reg6");
        assertThat(same.exit()).as(same.output()).isZero();
        assertThat(br.dumpFlows()).as("no change, no move").anyMatch(l -> l.contains("ct_mark=0/0x40000000"));
    }

    @Test
    void aPlacementOverlappingTheCnisTablesIsRefusedAndChangesNothing() throws Exception {
        writeCluster("{portNumber: {protocol: TCP, port: 8080}}");
        List<String> before = br.dumpFlows();
        List<String> args = new ArrayList<>(List.of(
                "sync",
                "--once",
                "--cluster",
                dir.toString(),
                "--node",
                "n1",
                "--switch",
                br.target(),
                "--first-table",
                "15",
                "--reserved-tables",
                "0-19,40-60",
                "--exit",
                "goto:40"));
        Command.Result r = ovsAnp(args);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("placement refused").contains("reserved table 15");
        assertThat(br.dumpFlows()).isEqualTo(before);
    }
}
