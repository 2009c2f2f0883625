package io.ovsanp.it.vagrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
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
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private PrivateOvs ovs;
    private String podNetns;
    private Path ipamDir;

    @BeforeEach
    void start() throws Exception {
        Needs.ovs();
        Needs.command("jq");
        Needs.installed(
                "the CNI plugins (containernetworking-plugins: host-local)",
                Files.isExecutable(HOST_LOCAL_DIR.resolve("host-local")));
        ovs = PrivateOvs.start();
        podNetns =
                "ovsanp-it-pod-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
        Command.of("ip", "netns", "add", podNetns).runOrThrow();
        ipamDir = Files.createTempDirectory(Path.of("/tmp"), "ovsanp-ipam-");
    }

    @AfterEach
    void stop() throws Exception {
        if (podNetns != null) {
            Command.of("ip", "netns", "del", podNetns).run();
        }
        if (ovs != null) {
            ovs.close();
        }
        if (ipamDir != null) {
            Command.of("rm", "-rf", ipamDir.toString()).run();
        }
    }

    private String config(String bridge) {
        return """
                {"cniVersion":"1.0.0","name":"lab","type":"ovs-anp-cni","bridge":"%s",
                 "switch":"unix:%s", "attachScript":"%s",
                 "ipam":{"type":"host-local","dataDir":"%s",
                         "ranges":[[{"subnet":"10.244.1.0/24","gateway":"10.244.1.1"}]]}}
                """.formatted(
                        bridge, ovs.runDir().resolve(bridge + ".mgmt"), REPO.resolve("lab/attach-pod.sh"), ipamDir);
    }

    /** Runs the plugin inside the switch's network namespace, where its ports must live. */
    private Command.Result plugin(String command, String netnsPath, String config) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "0123456789abcdef0123");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_NETNS", netnsPath);
        env.put("CNI_PATH", HOST_LOCAL_DIR.toString());
        env.put("OVS_VSCTL", "ovs-vsctl --db=unix:" + ovs.runDir().resolve("db.sock") + " --timeout=30");
        return Command.of(REPO.resolve("vagrant/cni/ovs-anp-cni").toString())
                .directory(REPO)
                .env(env)
                .stdin(config)
                .inNetns(ovs.netns())
                .mergeStderr()
                .run();
    }

    private String inOvsNetns(String... command) {
        return Command.of(command).inNetns(ovs.netns()).runOrThrow().output();
    }

    private java.util.List<String> guardFlows() {
        return ovs.ofctl(
                        "-O",
                        "OpenFlow13",
                        "dump-flows",
                        "unix:" + ovs.runDir().resolve("br-int.mgmt"),
                        "cookie=0xc0ffee/-1")
                .stdout()
                .lines()
                .filter(l -> l.contains("cookie="))
                .toList();
    }

    private String ports() {
        return ovs.vsctl("list-ports", "br-int").stdout();
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
        Command.Result add = plugin("ADD", netnsPath, config("br-int"));
        assertThat(add.exit()).as(add.output()).isZero();
        JsonNode result = JSON.readTree(add.output());
        String address = result.path("ips").path(0).path("address").asString();
        assertThat(address).startsWith("10.244.1.").endsWith("/24").isNotEqualTo("10.244.1.1/24");
        String hostIf = result.path("interfaces").path(0).path("name").asString();
        assertThat(hostIf).startsWith("veth").hasSizeLessThanOrEqualTo(15);
        assertThat(ports()).contains(hostIf);
        String podAddrs = Command.of("ip", "-n", podNetns, "-o", "addr", "show", "dev", "eth0")
                .runOrThrow()
                .output();
        assertThat(podAddrs).contains(address);
        String mac = result.path("interfaces").path(1).path("mac").asString();
        assertThat(Command.of("ip", "-n", podNetns, "-o", "link", "show", "dev", "eth0")
                        .runOrThrow()
                        .output())
                .contains(mac);

        String ofport = ovs.vsctl("get", "Interface", hostIf, "ofport").stdout().trim();
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

        Command.Result ping = Command.of("ping", "-c", "1", "-W", "2", "10.244.1.1")
                .inNetns(podNetns)
                .mergeStderr()
                .run();
        assertThat(ping.exit())
                .as("pod → gateway through br-int:\n" + ping.output())
                .isZero();
        String ip = address.substring(0, address.indexOf('/'));
        assertThat(Files.exists(ipamDir.resolve("lab").resolve(ip)))
                .as("IPAM lease")
                .isTrue();

        Command.Result check = plugin("CHECK", netnsPath, config("br-int"));
        assertThat(check.exit()).as(check.output()).isZero();

        Command.Result del = plugin("DEL", netnsPath, config("br-int"));
        assertThat(del.exit()).as(del.output()).isZero();
        assertThat(ports()).doesNotContain(hostIf);
        assertThat(guardFlows()).as("DEL removes the pod's spoof guard flow").isEmpty();
        assertThat(Files.exists(ipamDir.resolve("lab").resolve(ip)))
                .as("IPAM lease freed")
                .isFalse();
    }

    @Test
    void addOnAMissingBridgeFailsWithACniErrorAndFreesTheAddress() throws Exception {
        Command.Result add = plugin("ADD", "/run/netns/" + podNetns, config("no-such-bridge"));
        assertThat(add.exit()).isNotZero();
        JsonNode error = JSON.readTree(add.output());
        assertThat(error.path("msg").asString()).contains("attaching the pod failed");
        try (var leases = Files.list(ipamDir.resolve("lab"))) {
            assertThat(leases.map(p -> p.getFileName().toString()))
                    .as("no address stays reserved")
                    .noneMatch(n -> n.startsWith("10.244."));
        }
        assertThat(Command.of("ip", "-n", podNetns, "-o", "link").runOrThrow().output())
                .doesNotContain("eth0");
    }
}
