package io.ovsanp.it.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Rule;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.audit.AuditLine;
import io.ovsanp.controller.audit.AuditLog;
import io.ovsanp.controller.audit.AuditOptions;
import io.ovsanp.controller.openflow.ConnectionConfig;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.PacketInSink;
import io.ovsanp.controller.openflow.SwitchConnector;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.openflow.wire.PacketIn;
import io.ovsanp.controller.switches.Reconciler;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit log on a real ovs-vswitchd: the node's pipeline with the copy on an opted-in policy's
 * decided flow, installed by the reconciler (which must then see nothing to change: OVS dumps the
 * copy action as we encode it), and real packets sent into the pipeline with PACKET_OUT
 * ({@code actions=table}): conntrack, the policy tables and the copy all run in the datapath.
 */
class AuditLogIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final long METER = 4242;

    private PrivateOvs ovs;
    private Bridge bridge;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        Needs.ovs();
        ovs = PrivateOvs.start();
        bridge = ovs.addBridge("br-int");
    }

    @AfterEach
    void stop() {
        if (ovs != null) ovs.close();
    }

    private static AdminPolicy denyDns(String name, int priority, String cidr, boolean audited) {
        return new AdminPolicy(
                new ObjectRef(Tier.ADMIN.kind(), "", name, "uid-" + name, SourceRef.NONE),
                Tier.ADMIN,
                priority,
                Subject.ALL,
                List.of(new Rule(
                        0,
                        "no-dns-" + name,
                        Action.DENY,
                        List.of(new Peer.Networks(List.of(cidr))),
                        List.of(new PortMatch.Number(Protocol.UDP, 53)))),
                List.of(),
                List.of(),
                audited);
    }

    static ClusterSnapshot cluster() {
        PodInfo web = new PodInfo(
                "shop", "web", "n1", false, List.of(IpAddress.parse("10.244.0.1")), Map.of("app", "web"), List.of());
        return new ClusterSnapshot(
                List.of(),
                List.of(web),
                List.of(new NodeInfo("n1", Map.of(), List.of(IpAddress.parse("172.18.0.1")))),
                List.of(),
                List.of(),
                List.of(denyDns("logged", 1, "203.0.113.0/24", true), denyDns("quiet", 2, "198.51.100.0/24", false)),
                List.of(),
                List.of());
    }

    /**
     * An Ethernet/IPv4/UDP frame from 10.244.0.1:{@code sport} to {@code dst}:53, with a correct IPv4
     * header checksum: the userspace conntrack marks a packet with a wrong one invalid, and the
     * pipeline drops invalid packets before the policy tables.
     */
    static String udpFrame(int dstFirstOctet, int sport) {
        String dst = dstFirstOctet == 203 ? "cb007105" : "c6336405"; // 203.0.113.5 or 198.51.100.5
        String header = "4500001c00014000" + "4011" + "0000" + "0af40001" + dst;
        return "000000000002000000000001" + "0800" + header.substring(0, 20) + checksum(header) + header.substring(24)
                + String.format("%04x", sport) + "0035" + "00080000";
    }

    static String checksum(String header) {
        long sum = 0;
        for (int i = 0; i < header.length(); i += 4) sum += Long.parseLong(header.substring(i, i + 4), 16);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return String.format("%04x", ~sum & 0xffff);
    }

    private void send(String frame) {
        bridge.ofctl("-O", "OpenFlow13", "packet-out", "br-int", "in_port=LOCAL packet=" + frame + " actions=table");
    }

    /**
     * Once per packet-in format: a connection that also takes continuations gets the copies as
     * NXT_PACKET_IN2 (docs/ovs-notes.md §2.7), and the audit log must read them the same.
     */
    @ParameterizedTest(name = "NXT_PACKET_IN2 format: {0}")
    @ValueSource(booleans = {false, true})
    void deniedConnectionOfAnOptedInPolicyWritesOneLineAndTheVerdictNeverWaits(boolean packetIn2) throws Exception {
        Path file = dir.resolve("audit.log");
        AuditOptions options =
                new AuditOptions(false, METER, 1000, Optional.of(file), false, AuditLine.Format.json, 1 << 20, 2);
        ClusterSnapshot snapshot = cluster();
        EffectivePolicies policies = PolicyValidator.validate(snapshot);
        CompileOptions compile = CompileOptions.DEFAULT.withAudit(options.copy());
        CompileResult result = Compiler.compile(snapshot, policies, "n1", Allocation.EMPTY, compile);

        try (AuditLog audit = AuditLog.open(options)) {
            audit.validated(snapshot, policies, ClusterChange.EVERYTHING);
            audit.compiled("n1", result, Duration.ZERO);
            SwitchTarget target = SwitchTarget.parse("unix:" + bridge.mgmtSocket());
            List<PacketIn> received = new CopyOnWriteArrayList<>();
            PacketInSink sink = new PacketInSink() {
                @Override
                public void accept(OfConnection from, PacketIn p) {
                    received.add(p);
                    audit.accept(from, p);
                }

                @Override
                public boolean wantsContinuations() {
                    return packetIn2;
                }

                @Override
                public void connected(OfConnection c) {
                    audit.connected(c);
                }
            };
            ConnectionConfig config = ConnectionConfig.DEFAULT.withPacketIns(sink);
            try (OfConnection c =
                    SwitchConnector.connect(target, Optional.empty(), config).get(30, TimeUnit.SECONDS)) {
                audit.switchConnected("n1", c.datapathId().toString());
                Reconciler reconciler = new Reconciler(c, TIMEOUT);
                reconciler.audit(result.flows());
                // OVS dumps the copy action exactly as encoded: a fresh reconciler finds nothing to change.
                assertThat(new Reconciler(c, TIMEOUT).audit(result.flows()).flowMods())
                        .isZero();
                assertThat(bridge.ofctl("-O", "OpenFlow13", "dump-meters", "br-int")
                                .stdout())
                        .contains("meter=" + METER + " pktps")
                        .contains("rate=1000");
                assertThat(bridge.dumpFlows())
                        .anyMatch(l -> l.contains("nw_dst=203.0.113.0/24")
                                && l.contains("actions=controller(max_len=128,meter_id=" + METER + ")"))
                        .anyMatch(l -> l.contains("nw_dst=198.51.100.0/24") && l.contains("actions=drop"));

                send(udpFrame(203, 40000));
                send(udpFrame(198, 40001));
                Wait.until(() -> lines(file).size() >= 1, TIMEOUT, "an audit line");
                c.barrier().get(30, TimeUnit.SECONDS); // the second packet-in, if any, has arrived by now
                Thread.sleep(300); // and the writer had time to write it
            }
            assertThat(received)
                    .extracting(PacketIn::format)
                    .containsOnly(packetIn2 ? PacketIn.Format.NXT_PACKET_IN2 : PacketIn.Format.OPENFLOW13);
            List<String> lines = lines(file);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0))
                    .contains("\"node\":\"n1\"")
                    .contains("\"srcIp\":\"10.244.0.1\",\"srcPod\":\"shop/web\"")
                    .contains("\"dstIp\":\"203.0.113.5\"")
                    .contains("\"protocol\":\"UDP\",\"port\":53")
                    .contains("\"verdict\":\"Deny\",\"tier\":\"Admin\"")
                    .contains("\"policy\":\"AdminNetworkPolicy/logged\"")
                    .contains("\"direction\":\"egress\",\"ruleIndex\":0,\"ruleName\":\"no-dns-logged\"");
            assertThat(audit.writer().written()).isEqualTo(1);
        }

        // No controller connected: the copy has nowhere to go, the deny still holds.
        long before = bridge.packetsOf("nw_dst=203.0.113.0/24");
        send(udpFrame(203, 40002));
        assertThat(before).as("the first denied packet was counted").isPositive();
        assertThat(bridge.packetsOf("nw_dst=203.0.113.0/24")).isEqualTo(before + 1);
        assertThat(bridge.packetsOf("table=10,"))
                .as("nothing reached the output table")
                .isZero();
        assertThat(bridge.packetsOf("table=9,")).as("nothing was committed").isZero();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
