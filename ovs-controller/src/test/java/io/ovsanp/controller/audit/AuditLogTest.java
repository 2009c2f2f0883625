package io.ovsanp.controller.audit;

import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.banp;
import static io.ovsanp.compiler.testing.TestClusters.cluster;
import static io.ovsanp.compiler.testing.TestClusters.cnp;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static io.ovsanp.controller.audit.Frames.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.AuditCopy;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.compiler.policy.Tier;
import io.ovsanp.controller.metrics.AuditMetrics;
import io.ovsanp.controller.openflow.wire.Bytes;
import io.ovsanp.controller.openflow.wire.DatapathId;
import io.ovsanp.controller.openflow.wire.PacketIn;
import io.ovsanp.testkit.Wait;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a copy's cookie and addresses mean to the audit log: the rule of the node's latest compile,
 * the validated policy's names, the pods' addresses, the node behind the datapath. Copies it cannot
 * name are skipped, never guessed.
 */
class AuditLogTest {
    private static final Instant TIME = Instant.parse("2026-12-07T03:50:00.123Z");
    private static final String DPID = new DatapathId(0xa01).toString();
    private static final int TCP = 6;

    private static final ClusterSnapshot CLUSTER = cluster()
            .namespace("shop")
            .and()
            .pod("shop", "web", "10.244.1.2")
            .on("n1")
            .and()
            .pod("shop", "db", "10.244.1.3")
            .on("n1")
            .and()
            .node("n1", "172.18.0.11")
            .and()
            .build();

    private static final EffectivePolicies POLICIES = policies()
            .admin(anp("guard", 10)
                    .deny("no-ssh", r -> r.toNetworks("203.0.113.0/24").tcp(22)))
            .admin(cnp(Tier.ADMIN, "open", 20)
                    .allow("web", r -> r.toNetworks("198.51.100.0/24").tcp(443)))
            .baseline(banp().deny("rest", r -> r.toNetworks("10.244.0.0/16")))
            .build();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private AuditLog log;
    private CompileResult compiled;

    @BeforeEach
    void start() {
        AuditOptions options =
                new AuditOptions(false, 7, 100, Optional.empty(), true, AuditLine.Format.text, 1 << 20, 1);
        log = new AuditLog(
                options,
                Clock.fixed(TIME, ZoneOffset.UTC),
                Optional.empty(),
                Optional.of(new PrintStream(out, true, StandardCharsets.UTF_8)));
        compiled = Compiler.compile(
                CLUSTER, POLICIES, "n1", Allocation.EMPTY, CompileOptions.DEFAULT.withAudit(AuditCopy.on(true, 7)));
        log.validated(CLUSTER, POLICIES, ClusterChange.EVERYTHING);
        log.compiled("n1", compiled, Duration.ZERO);
        log.switchConnected("n1", DPID);
    }

    @AfterEach
    void stop() {
        log.close();
    }

    /** The cookie the compile gave {@code rule}'s flows. */
    private long cookie(RuleRef rule) {
        Long id = compiled.allocation().ruleIds().get(rule.key());
        assertThat(id).as("rule id of %s", rule.key()).isNotNull();
        Cookie.Category category = rule.tier() == Tier.BASELINE ? Cookie.Category.BASELINE : Cookie.Category.ADMIN;
        return Cookie.of(3, category, id).value();
    }

    private static RuleRef admin(int policy, int rule) {
        return POLICIES.admin().get(policy).rules().get(rule).ref();
    }

    private static AuditLog.Copy copy(String dpid, long cookie, byte[] frame) {
        return new AuditLog.Copy(
                TIME,
                dpid,
                new PacketIn(
                        1,
                        0xffff_ffffL,
                        frame.length,
                        PacketIn.REASON_ACTION,
                        3,
                        cookie,
                        Bytes.EMPTY,
                        Bytes.of(frame)));
    }

    private static byte[] sshFromWeb() {
        return Frames.ipv4(ip(10, 244, 1, 2), ip(203, 0, 113, 5), TCP, 40000, 22);
    }

    @Test
    void aCopyOfAKnownRuleNamesNodePodsRuleAndVerdict() {
        AuditLine line =
                log.describe(copy(DPID, cookie(admin(0, 0)), sshFromWeb())).orElseThrow();
        assertThat(line)
                .isEqualTo(new AuditLine(
                        TIME,
                        "n1",
                        "10.244.1.2",
                        "shop/web",
                        "203.0.113.5",
                        "",
                        "TCP",
                        22,
                        "Deny",
                        "Admin",
                        "AdminNetworkPolicy/guard",
                        "egress",
                        0,
                        "no-ssh"));
        assertThat(log.line(copy(DPID, cookie(admin(0, 0)), sshFromWeb())))
                .contains("2026-12-07T03:50:00.123Z node=n1 src=10.244.1.2(shop/web) dst=203.0.113.5 proto=TCP port=22"
                        + " verdict=Deny tier=Admin policy=AdminNetworkPolicy/guard rule=egress[0] name=\"no-ssh\"");
    }

    /** With a connection in NXT_PACKET_IN2 format (docs/ovs-notes.md §2.7) the copies read the same. */
    @Test
    void aCopyAsPacketIn2IsTheSameLineAndAPausedPacketIsNoCopy() {
        long cookie = cookie(admin(0, 0));
        PacketIn nx2 = PacketIn.packetIn2(
                0,
                PacketIn.REASON_ACTION,
                3,
                cookie,
                Bytes.fromHex("80000004 fffffffe"),
                Bytes.of(sshFromWeb()),
                Optional.empty());
        AuditLog.Copy asPacketIn2 = new AuditLog.Copy(TIME, DPID, nx2);
        assertThat(AuditLog.isCopy(nx2)).isTrue();
        assertThat(log.describe(asPacketIn2)).isEqualTo(log.describe(copy(DPID, cookie, sshFromWeb())));
        assertThat(log.describe(asPacketIn2)).isPresent();

        PacketIn paused = PacketIn.packetIn2(
                0,
                PacketIn.REASON_ACTION,
                3,
                cookie,
                Bytes.EMPTY,
                Bytes.of(sshFromWeb()),
                Optional.of(Bytes.fromHex("8003000400000000")));
        assertThat(AuditLog.isCopy(paused)).isFalse();
        assertThat(AuditLog.isCopy(copy(DPID, cookie, sshFromWeb()).packetIn())).isTrue();
    }

    @Test
    void aClusterNetworkPolicyAcceptsAndABaselineRuleIsInTheBaselineTier() {
        byte[] https = Frames.ipv4(ip(10, 244, 1, 3), ip(198, 51, 100, 9), TCP, 40001, 443);
        AuditLine accept = log.describe(copy(DPID, cookie(admin(1, 0)), https)).orElseThrow();
        assertThat(accept.verdict()).isEqualTo("Accept");
        assertThat(accept.policy()).isEqualTo("ClusterNetworkPolicy/open");
        assertThat(accept.srcPod()).isEqualTo("shop/db");

        RuleRef rest = POLICIES.baseline().get(0).rules().get(0).ref();
        byte[] icmp = Frames.ipv4(ip(10, 244, 1, 2), ip(10, 244, 1, 3), 1, 8, 0);
        AuditLine baseline = log.describe(copy(DPID, cookie(rest), icmp)).orElseThrow();
        assertThat(baseline.tier()).isEqualTo("Baseline");
        assertThat(baseline.policy()).isEqualTo("BaselineAdminNetworkPolicy/default");
        assertThat(baseline.dstPod()).isEqualTo("shop/db");
        assertThat(baseline.protocol()).isEqualTo("ICMP");
        assertThat(baseline.port()).isEqualTo(-1);
    }

    @Test
    void aCopyFromAnUnmappedDatapathIsSkipped() {
        String other = new DatapathId(0xb02).toString();
        assertThat(log.describe(copy(other, cookie(admin(0, 0)), sshFromWeb()))).isEmpty();
    }

    @Test
    void aCookieWhoseRuleIsUnknownIsSkipped() {
        long unknownId = compiled.allocation().ruleIds().values().stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElseThrow()
                + 1;
        assertThat(log.describe(copy(
                        DPID, Cookie.of(3, Cookie.Category.ADMIN, unknownId).value(), sshFromWeb())))
                .isEmpty();
    }

    @Test
    void aCookieNotOursIsSkippedEvenWhenItsLowBitsLookLikeARuleId() {
        long ours = cookie(admin(0, 0));
        long foreign = ours & ~Cookie.OWNER_MASK | (0x5aL << 32); // another owner's tag, same rule-id bits
        assertThat(new Cookie(foreign).isOurs()).isFalse();
        assertThat(log.describe(copy(DPID, foreign, sshFromWeb()))).isEmpty();
    }

    @Test
    void aCopyArrivingAfterItsRuleWasRemovedOrItsNodeWentIsSkipped() {
        long cookie = cookie(admin(0, 0));
        EffectivePolicies without = policies()
                .admin(cnp(Tier.ADMIN, "open", 20)
                        .allow("web", r -> r.toNetworks("198.51.100.0/24").tcp(443)))
                .build();
        log.validated(CLUSTER, without, ClusterChange.EVERYTHING);
        assertThat(log.describe(copy(DPID, cookie, sshFromWeb()))).isEmpty();

        log.validated(CLUSTER, POLICIES, ClusterChange.EVERYTHING);
        assertThat(log.describe(copy(DPID, cookie, sshFromWeb()))).isPresent();
        log.nodeRemoved("n1");
        assertThat(log.describe(copy(DPID, cookie, sshFromWeb()))).isEmpty();
    }

    @Test
    void aFrameThatNamesNoConnectionIsSkipped() {
        byte[] cut = Arrays.copyOf(sshFromWeb(), 30);
        assertThat(log.describe(copy(DPID, cookie(admin(0, 0)), cut))).isEmpty();
    }

    @Test
    void queuedCopiesBecomeLinesOnTheWriterThread() {
        log.writer().offer(copy(DPID, cookie(admin(0, 0)), sshFromWeb()));
        log.writer().offer(copy(new DatapathId(0xb02).toString(), cookie(admin(0, 0)), sshFromWeb()));
        Wait.until(() -> log.writer().written() + log.writer().skipped() == 2, Duration.ofSeconds(10), "2 copies");
        assertThat(log.writer().written()).isEqualTo(1);
        assertThat(log.writer().skipped()).isEqualTo(1);
        PrometheusRegistry registry = new PrometheusRegistry();
        AuditMetrics.register(registry, log.writer());
        Map<String, Double> counters = new TreeMap<>();
        for (MetricSnapshot m : registry.scrape()) {
            counters.put(
                    m.getMetadata().getPrometheusName(),
                    ((CounterSnapshot) m).getDataPoints().get(0).getValue());
        }
        assertThat(counters)
                .isEqualTo(Map.of( // the model names a counter without _total; the text format adds it
                        "ovsanp_audit_lines", 1.0, "ovsanp_audit_dropped", 0.0, "ovsanp_audit_skipped", 1.0));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("2026-12-07T03:50:00.123Z node=n1 src=10.244.1.2(shop/web) dst=203.0.113.5 proto=TCP"
                        + " port=22 verdict=Deny tier=Admin policy=AdminNetworkPolicy/guard rule=egress[0]"
                        + " name=\"no-ssh\"" + System.lineSeparator());
    }
}
