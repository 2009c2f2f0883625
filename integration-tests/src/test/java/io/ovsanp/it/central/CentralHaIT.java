package io.ovsanp.it.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.controller.openflow.BundleRejectedException;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.OfErrorException;
import io.ovsanp.controller.openflow.SwitchConnector;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.openflow.wire.OfError;
import io.ovsanp.controller.openflow.wire.RoleMessage;
import io.ovsanp.devapiserver.DevApiServer;
import io.ovsanp.it.run.OvsAnpProcess;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Central mode with two replicas and no split (docs/decisions.md, "High availability"), all real:
 * two {@code bin/ovs-anp run --listen pssl:} processes electing on a Lease of the mock API server,
 * and worker-1's br-int (its own ovs-vswitchd) connected to both. The Lease holder is the switch's
 * OpenFlow master and the only one that writes; the other is its slave. SIGKILL the leader, delete
 * a policy: the other replica takes the Lease, becomes master with a larger generation and converges
 * the switch within the lease duration plus a margin. Last, the fence itself: a connection that was
 * master with the survivor's generation, overtaken by a larger one, has its bundle refused by the
 * switch (OFPBRC_IS_SLAVE) with the flows unchanged, and the killed leader's generation is refused
 * as stale.
 */
class CentralHaIT {
    private static final String DPID = "00000000000000a1";
    private static final Pattern LISTENING = Pattern.compile("listening for switches on \\S*:(\\d+)");
    private static final Pattern LEADING = Pattern.compile("leading: this replica \\((\\S+)\\).*generation (\\d+)");
    private static final Duration LEASE = Duration.ofSeconds(4);

    @TempDir
    Path pki;

    @Test
    void bothReplicasHoldTheSwitchOnlyTheLeaderWritesAndTheOtherTakesOverAfterASigkill() throws Exception {
        Needs.ovs();
        Path repo = Path.of(System.getProperty("ovsanp.repo", ".."))
                .toAbsolutePath()
                .normalize();
        CentralPki.make(repo, pki, "worker-1");
        Path example = repo.resolve("examples/node-ports-blocked");
        KubernetesMockServer server =
                DevApiServer.start(0, List.of(example.resolve("cluster.yaml"), example.resolve("policy.yaml")));
        try (PrivateOvs ovs = PrivateOvs.start();
                KubernetesClient client = server.createClient();
                OvsAnpProcess a = replica(repo, server, "replica-a");
                OvsAnpProcess b = replica(repo, server, "replica-b")) {
            int portA = port(a);
            int portB = port(b);
            Bridge br = ovs.addBridge("br-int");
            ovs.vsctl("set", "bridge", "br-int", "other_config:datapath-id=" + DPID);
            ovs.vsctl(
                    "set-ssl",
                    pki.resolve("node-worker-1.key").toString(),
                    pki.resolve("node-worker-1.pem").toString(),
                    pki.resolve("ca.pem").toString());
            PrivateOvs.Link link = ovs.linkToRoot();
            String targetA = "ssl:" + link.outside() + ":" + portA;
            String targetB = "ssl:" + link.outside() + ":" + portB;
            ovs.vsctl("set-controller", "br-int", targetA, targetB);

            waitFor(() -> LEADING.matcher(a.output() + b.output()).find(), 60, a, b);
            boolean aLeads = LEADING.matcher(a.output()).find();
            OvsAnpProcess leader = aLeads ? a : b;
            OvsAnpProcess standby = aLeads ? b : a;
            String leaderTarget = aLeads ? targetA : targetB;
            String standbyTarget = aLeads ? targetB : targetA;
            long leaderGeneration = generation(leader);

            // Both connected, the leader master, the standby slave; the leader's flows arrive.
            List<String> expected =
                    new ArrayList<>(List.of(leaderTarget + " true master", standbyTarget + " true slave"));
            expected.sort(null);
            waitFor(() -> roles(ovs).equals(expected), 60, a, b);
            waitFor(() -> br.dumpFlows().stream().anyMatch(f -> f.contains("tp_dst=10250")), 30, a, b);
            assertThat(leader.output()).contains("node=worker-1 dpid=" + DPID + " switch connected");
            assertThat(standby.output())
                    .as("the standby identifies the switch and keeps it as slave, never writes it")
                    .contains("is node worker-1 (certificate")
                    .contains("switch " + DPID)
                    .contains("role slave")
                    .doesNotContain("node=worker-1 dpid=");
            int before = br.dumpFlows().size();

            // The leader crashes; a policy changes meanwhile; the standby converges the switch.
            long killed = System.nanoTime();
            leader.kill();
            client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                    .withName("protect-nodes")
                    .delete();
            Duration bound = LEASE.plusSeconds(8); // expiry, one retry, the master request, one bundle; loaded CI
            waitFor(() -> br.dumpFlows().stream().noneMatch(f -> f.contains("tp_dst=10250")), bound, a, b);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf(
                    "CentralHaIT: the standby converged the switch %d ms after the leader's SIGKILL%n", tookMs);
            assertThat(br.dumpFlows()).hasSizeLessThan(before);
            long survivorGeneration = generation(standby);
            assertThat(Long.compareUnsigned(survivorGeneration, leaderGeneration))
                    .isPositive();
            waitFor(() -> roles(ovs).contains(standbyTarget + " true master"), 30, a, b);

            // The fence, on the switch itself: the killed leader's generation is stale, and a master
            // overtaken by a larger generation has its bundle refused with the flows unchanged.
            try (OfConnection deposed = connect(br);
                    OfConnection newer = connect(br)) {
                assertThat(roleError(deposed, leaderGeneration)).isEqualTo(OfError.ROLE_STALE);
                deposed.requestRole(RoleMessage.Role.MASTER, survivorGeneration).get(10, TimeUnit.SECONDS);
                newer.requestRole(RoleMessage.Role.MASTER, survivorGeneration + 1)
                        .get(10, TimeUnit.SECONDS);
                List<String> flows = br.dumpFlows();
                FlowMod write = FlowMod.add(
                        deposed.nextXid(),
                        OfctlParser.parseFlow("table=0,priority=65000,cookie=0xa5deadbeef,ip actions=drop"));
                assertThatThrownBy(() -> deposed.bundle(List.of(write)).get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(BundleRejectedException.class)
                        .satisfies(e -> assertThat(((BundleRejectedException) e.getCause())
                                        .failures()
                                        .get(0)
                                        .error()
                                        .error())
                                .isEqualTo(OfError.IS_SECONDARY));
                assertThat(br.dumpFlows()).isEqualTo(flows);
                assertThat(roleError(deposed, survivorGeneration)).isEqualTo(OfError.ROLE_STALE);
            }
        } finally {
            DevApiServer.stop(server);
        }
    }

    private OvsAnpProcess replica(Path repo, KubernetesMockServer server, String identity) {
        List<String> args = new ArrayList<>(CentralPki.listenArgs(pki));
        args.addAll(List.of(
                "--identity",
                identity,
                "--lease-duration",
                LEASE.toSeconds() + "s",
                "--renew-deadline",
                "3s",
                "--retry-period",
                "500ms",
                "--metrics-address",
                "127.0.0.1:0",
                "--server",
                DevApiServer.url(server)));
        return OvsAnpProcess.start(repo, "run", args.toArray(String[]::new));
    }

    private static int port(OvsAnpProcess p) {
        p.waitFor(
                () -> LISTENING.matcher(p.output()).find() || p.output().contains("\nerror: "),
                Duration.ofMinutes(4),
                "the listener");
        Matcher m = LISTENING.matcher(p.output());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static long generation(OvsAnpProcess p) {
        Matcher m = LEADING.matcher(p.output());
        assertThat(m.find()).as("a leading line in%n%s", p.output()).isTrue();
        return Long.parseUnsignedLong(m.group(2));
    }

    /** Each controller of br-int as "TARGET IS_CONNECTED ROLE", sorted by target. */
    private static List<String> roles(PrivateOvs ovs) {
        String out = ovs.vsctl(
                        "--format=csv",
                        "--data=bare",
                        "--no-headings",
                        "--columns=target,is_connected,role",
                        "list",
                        "controller")
                .stdout();
        List<String> rows = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            rows.add(line.replace(",", " ").replace("\"", ""));
        }
        rows.sort(null);
        return rows;
    }

    private static OfConnection connect(Bridge br) throws Exception {
        return SwitchConnector.connect(SwitchTarget.parse(br.target()), Optional.empty(), ConnectionConfig.DEFAULT)
                .get(20, TimeUnit.SECONDS);
    }

    /** The error the switch answers to a MASTER request with {@code generation}. */
    private static OfError roleError(OfConnection c, long generation) throws Exception {
        try {
            c.requestRole(RoleMessage.Role.MASTER, generation).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OfErrorException oe) {
                return oe.error().error();
            }
            throw e;
        }
        throw new AssertionError("the switch accepted MASTER with generation " + generation);
    }

    private static void waitFor(BooleanSupplier condition, int seconds, OvsAnpProcess a, OvsAnpProcess b) {
        waitFor(condition, Duration.ofSeconds(seconds), a, b);
    }

    /** Waits for {@code condition}; on failure both replicas' output is in the message. */
    private static void waitFor(BooleanSupplier condition, Duration timeout, OvsAnpProcess a, OvsAnpProcess b) {
        try {
            a.waitFor(condition, timeout, "the switch or the replicas");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- the other replica:\n" + b.output(), e);
        }
    }
}
