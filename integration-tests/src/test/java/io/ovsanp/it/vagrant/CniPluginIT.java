package io.ovsanp.it.vagrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.it.ovs.Bridge;
import io.ovsanp.it.ovs.OvsSupport;
import io.ovsanp.it.ovs.PrivateOvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Vagrant lab's minimal CNI plugin, run the way a container runtime runs it (CNI_* variables,
 * network configuration on stdin) against a real ovs-vswitchd and the real host-local IPAM plugin:
 * ADD attaches a pod network namespace to the bridge with an address from the range, the pod
 * reaches its gateway through the bridge, DEL removes the port and frees the address.
 */
class CniPluginIT {
    private static final Path HOST_LOCAL_DIR = Path.of("/usr/lib/cni");
    private static final JsonMapper JSON = new JsonMapper();

    private PrivateOvs ovs;
    private String podNetns;
    private Path ipamDir;

    @BeforeEach
    void start() throws Exception {
        OvsSupport.assumeOvsAvailable();
        Sh.assumeTool("jq");
        Sh.assumeInstalled(
                "the CNI plugins (containernetworking-plugins: host-local)",
                Files.isExecutable(HOST_LOCAL_DIR.resolve("host-local")));
        ovs = PrivateOvs.start();
        podNetns =
                "ovsanp-it-pod-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
        Sh.ok("ip", "netns", "add", podNetns);
        ipamDir = Files.createTempDirectory(Path.of("/tmp"), "ovsanp-ipam-");
    }

    @AfterEach
    void stop() throws Exception {
        if (podNetns != null) {
            Sh.run("ip", "netns", "del", podNetns);
        }
        if (ovs != null) {
            ovs.close();
        }
        if (ipamDir != null) {
            Sh.run("rm", "-rf", ipamDir.toString());
        }
    }

    private String config(String bridge) {
        return """
                {"cniVersion":"1.0.0","name":"lab","type":"ovs-anp-cni","bridge":"%s",
                 "switch":"unix:%s", "attachScript":"%s",
                 "ipam":{"type":"host-local","dataDir":"%s",
                         "ranges":[[{"subnet":"10.244.1.0/24","gateway":"10.244.1.1"}]]}}
                """.formatted(
                        bridge, ovs.runDir().resolve(bridge + ".mgmt"), Sh.REPO.resolve("lab/attach-pod.sh"), ipamDir);
    }

    /** Runs the plugin inside the switch's network namespace, where its ports must live. */
    private Sh plugin(String command, String netnsPath, String config) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "0123456789abcdef0123");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_NETNS", netnsPath);
        env.put("CNI_PATH", HOST_LOCAL_DIR.toString());
        env.put("OVS_VSCTL", "ovs-vsctl --db=unix:" + ovs.runDir().resolve("db.sock") + " --timeout=30");
        return Sh.run(
                env,
                config,
                "ip",
                "netns",
                "exec",
                ovs.netns(),
                Sh.REPO.resolve("vagrant/cni/ovs-anp-cni").toString());
    }

    private String inOvsNetns(String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = ovs.netns();
        System.arraycopy(command, 0, full, 4, command.length);
        return Sh.ok(full).output();
    }

    private java.util.List<String> guardFlows() {
        return Sh.ok(
                        "ovs-ofctl",
                        "-O",
                        "OpenFlow13",
                        "dump-flows",
                        "unix:" + ovs.runDir().resolve("br-int.mgmt"),
                        "cookie=0xc0ffee/-1")
                .output()
                .lines()
                .filter(l -> l.contains("cookie="))
                .toList();
    }

    private String ports() {
        return Sh.ok("ovs-vsctl", "--db=unix:" + ovs.runDir().resolve("db.sock"), "list-ports", "br-int")
                .output();
    }

    @Test
    void addAttachesThePodWithAnAddressFromIpamAndDelUndoesIt() throws Exception {
        Bridge br = ovs.addBridge("br-int");
        // Stand-ins for the rest of the pipeline: the spoof guard hands pod packets to table 10.
        br.addFlows("priority=0,actions=NORMAL\ntable=10,priority=0,actions=NORMAL");
        ovs.vsctl("add-port", "br-int", "gw", "--", "set", "Interface", "gw", "type=internal");
        inOvsNetns("ip", "addr", "add", "10.244.1.1/24", "dev", "gw");
        inOvsNetns("ip", "link", "set", "gw", "up");

        String netnsPath = "/run/netns/" + podNetns;
        Sh add = plugin("ADD", netnsPath, config("br-int"));
        assertThat(add.exit()).as(add.output()).isZero();
        JsonNode result = JSON.readTree(add.output());
        String address = result.path("ips").path(0).path("address").asString();
        assertThat(address).startsWith("10.244.1.").endsWith("/24").isNotEqualTo("10.244.1.1/24");
        String hostIf = result.path("interfaces").path(0).path("name").asString();
        assertThat(hostIf).startsWith("veth").hasSizeLessThanOrEqualTo(15);
        assertThat(ports()).contains(hostIf);
        String podAddrs =
                Sh.ok("ip", "-n", podNetns, "-o", "addr", "show", "dev", "eth0").output();
        assertThat(podAddrs).contains(address);
        String mac = result.path("interfaces").path(1).path("mac").asString();
        assertThat(Sh.ok("ip", "-n", podNetns, "-o", "link", "show", "dev", "eth0")
                        .output())
                .contains(mac);

        String ofport = Sh.ok(
                        "ovs-vsctl",
                        "--db=unix:" + ovs.runDir().resolve("db.sock"),
                        "get",
                        "Interface",
                        hostIf,
                        "ofport")
                .output()
                .trim();
        String ip0 = address.substring(0, address.indexOf('/'));
        long value = 0;
        for (String octet : ip0.split("\\.")) value = value * 256 + Integer.parseInt(octet);
        String identity = "0x" + Long.toHexString(value); // as ovs-ofctl prints it
        assertThat(guardFlows())
                .as("the spoof guard loads the pod's IPv4 address into reg6 for its port")
                .anySatisfy(f -> assertThat(f)
                        .contains("cookie=0xc0ffee")
                        .contains("in_port=" + ofport)
                        .contains("set_field:" + identity + "->reg6,goto_table:10"));

        Sh ping = Sh.run("ip", "netns", "exec", podNetns, "ping", "-c", "1", "-W", "2", "10.244.1.1");
        assertThat(ping.exit())
                .as("pod → gateway through br-int:\n" + ping.output())
                .isZero();
        String ip = address.substring(0, address.indexOf('/'));
        assertThat(Files.exists(ipamDir.resolve("lab").resolve(ip)))
                .as("IPAM lease")
                .isTrue();

        Sh check = plugin("CHECK", netnsPath, config("br-int"));
        assertThat(check.exit()).as(check.output()).isZero();

        Sh del = plugin("DEL", netnsPath, config("br-int"));
        assertThat(del.exit()).as(del.output()).isZero();
        assertThat(ports()).doesNotContain(hostIf);
        assertThat(guardFlows()).as("DEL removes the pod's spoof guard flow").isEmpty();
        assertThat(Files.exists(ipamDir.resolve("lab").resolve(ip)))
                .as("IPAM lease freed")
                .isFalse();
    }

    @Test
    void addOnAMissingBridgeFailsWithACniErrorAndFreesTheAddress() throws Exception {
        Sh add = plugin("ADD", "/run/netns/" + podNetns, config("no-such-bridge"));
        assertThat(add.exit()).isNotZero();
        JsonNode error = JSON.readTree(add.output());
        assertThat(error.path("msg").asString()).contains("attaching the pod failed");
        try (var leases = Files.list(ipamDir.resolve("lab"))) {
            assertThat(leases.map(p -> p.getFileName().toString()))
                    .as("no address stays reserved")
                    .noneMatch(n -> n.startsWith("10.244."));
        }
        assertThat(Sh.ok("ip", "-n", podNetns, "-o", "link").output()).doesNotContain("eth0");
    }
}
