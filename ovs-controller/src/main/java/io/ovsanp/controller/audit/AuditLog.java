package io.ovsanp.controller.audit;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.PacketInSink;
import io.ovsanp.controller.openflow.wire.MeterMod;
import io.ovsanp.controller.openflow.wire.PacketIn;
import io.ovsanp.controller.run.RealisationListener;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log (docs/decisions.md, "Audit log"). As a {@link PacketInSink} it installs the audit
 * meter on every switch that connects and queues the copies the decided flows send (dropping them
 * when the queue is full); as a {@link RealisationListener} it follows what a copy's cookie and
 * addresses mean: the rules of the validated policies by key, each node's rule ids from its latest
 * compile, the pods' addresses, and which datapath is which node. A copy becomes one {@link
 * AuditLine} on the writer's thread. Lines name what the controller knows when it writes them: a
 * copy that arrives after its rule was removed, or from a switch not yet mapped, is skipped.
 */
public final class AuditLog implements PacketInSink, RealisationListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    /** Copies waiting for the writer; beyond this they are dropped (a fixed bound on memory). */
    static final int QUEUE_CAPACITY = 4096;

    /** One copy as received: the writer thread resolves it. */
    record Copy(Instant time, String datapathId, PacketIn packetIn) {}

    /** A rule as the line names it. */
    record RuleInfo(RuleRef ref, String verdict) {}

    private final AuditOptions options;
    private final Clock clock;
    private final AuditWriter<Copy> writer;
    private volatile Map<String, RuleInfo> rulesByKey = Map.of();
    private volatile Map<IpAddress, String> podsByIp = Map.of();
    private final Map<String, Map<Long, String>> ruleKeysByNode = new ConcurrentHashMap<>();
    private final Map<String, String> nodeByDatapath = new ConcurrentHashMap<>();

    AuditLog(AuditOptions options, Clock clock, Optional<RotatingFile> file, Optional<PrintStream> stdout) {
        this.options = Objects.requireNonNull(options);
        this.clock = Objects.requireNonNull(clock);
        this.writer = new AuditWriter<>(QUEUE_CAPACITY, this::line, file, stdout);
    }

    /** The audit log {@code options} describe: to their file (rotated) and/or stdout. */
    public static AuditLog open(AuditOptions options) throws IOException {
        Optional<RotatingFile> file = options.file().isPresent()
                ? Optional.of(new RotatingFile(options.file().get(), options.maxBytes(), options.keep()))
                : Optional.empty();
        return new AuditLog(
                options, Clock.systemUTC(), file, options.stdout() ? Optional.of(System.out) : Optional.empty());
    }

    public AuditWriter<Copy> writer() {
        return writer;
    }

    // --- PacketInSink: on a Netty event loop, so only enqueue.

    @Override
    public void accept(OfConnection from, PacketIn p) {
        if (!isCopy(p)) return;
        writer.offer(new Copy(clock.instant(), from.datapathId().toString(), p));
    }

    /**
     * A copy from one of our decided flows, in either packet-in format (the cookie, reason and frame
     * mean the same in both). A paused packet is none, even with one of our cookies (OVS gives it
     * the pausing flow's after a recirculation): its owner must resume it (docs/ovs-notes.md §2.7).
     */
    static boolean isCopy(PacketIn p) {
        return p.reason() == PacketIn.REASON_ACTION && !p.isPaused() && new Cookie(p.cookie()).isOurs();
    }

    /**
     * Adds the meter (or, when the switch already has one of that id from an earlier run, modifies
     * it to our rate). A failure is logged: the copies then go unmetered or not at all, but the
     * verdicts never depend on the meter.
     */
    @Override
    public void connected(OfConnection c) {
        long rate = options.rate();
        c.request(new MeterMod(c.nextXid(), MeterMod.Command.ADD, options.meterId(), rate, 0))
                .exceptionallyCompose(
                        e -> c.request(new MeterMod(c.nextXid(), MeterMod.Command.MODIFY, options.meterId(), rate, 0)))
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.warn("{}: could not install audit meter {}: {}", c, options.meterId(), e.toString());
                    }
                });
    }

    // --- RealisationListener: on the loop's thread.

    @Override
    public void validated(ClusterSnapshot snapshot, EffectivePolicies policies, ClusterChange change) {
        Map<String, RuleInfo> rules = new HashMap<>();
        for (List<EffectiveAdminPolicy> tier : List.of(policies.admin(), policies.baseline())) {
            for (EffectiveAdminPolicy p : tier) {
                for (EffectiveRule r : p.rules()) rules.put(r.ref().key(), info(r));
                for (EffectiveRule r : p.ingress()) rules.put(r.ref().key(), info(r));
            }
        }
        Map<IpAddress, String> pods = new HashMap<>();
        for (PodInfo pod : snapshot.pods()) {
            if (pod.hostNetwork()) continue; // a host-network pod's address is its node's
            for (IpAddress ip : pod.ips()) pods.putIfAbsent(ip, pod.key());
        }
        rulesByKey = Map.copyOf(rules);
        podsByIp = Map.copyOf(pods);
    }

    @Override
    public void compiled(String node, CompileResult result, Duration took) {
        Map<Long, String> byId = new HashMap<>();
        result.allocation().ruleIds().forEach((key, id) -> byId.put(id, key));
        ruleKeysByNode.put(node, Map.copyOf(byId));
    }

    @Override
    public void switchConnected(String node, String datapathId) {
        nodeByDatapath.put(datapathId, node);
    }

    @Override
    public void nodeRemoved(String node) {
        ruleKeysByNode.remove(node);
        nodeByDatapath.values().removeIf(node::equals);
    }

    private static RuleInfo info(EffectiveRule r) {
        return new RuleInfo(r.ref(), r.action().apiName(r.ref().policy()));
    }

    // --- the writer thread.

    Optional<String> line(Copy c) {
        return describe(c).map(l -> l.format(options.format()));
    }

    /**
     * The line for {@code c}, or empty when the controller cannot name it now: another owner's cookie
     * (its low bits are no rule id of ours), a datapath not mapped to a node, a rule id the node's
     * latest compile does not have, a rule no longer in the validated policies, or a frame that names
     * no connection.
     */
    Optional<AuditLine> describe(Copy c) {
        Cookie cookie = new Cookie(c.packetIn().cookie());
        if (!cookie.isOurs()) return Optional.empty();
        String node = nodeByDatapath.get(c.datapathId());
        if (node == null) return Optional.empty();
        String key = ruleKeysByNode.getOrDefault(node, Map.of()).get(cookie.ruleId());
        RuleInfo rule = key == null ? null : rulesByKey.get(key);
        if (rule == null) return Optional.empty();
        Optional<FrameHeaders> h = FrameHeaders.parse(c.packetIn().data().toArray());
        if (h.isEmpty()) return Optional.empty();
        FrameHeaders f = h.get();
        Map<IpAddress, String> pods = podsByIp;
        RuleRef ref = rule.ref();
        return Optional.of(new AuditLine(
                c.time(),
                node,
                f.src().toString(),
                pods.getOrDefault(f.src(), ""),
                f.dst().toString(),
                pods.getOrDefault(f.dst(), ""),
                f.protocolName(),
                f.hasPorts() ? f.dstPort() : -1,
                rule.verdict(),
                tierName(ref),
                ref.policy().display(),
                ref.direction().field(),
                ref.index(),
                ref.name()));
    }

    private static String tierName(RuleRef ref) {
        return switch (ref.tier()) {
            case ADMIN -> "Admin";
            case BASELINE -> "Baseline";
            case NETWORK_POLICY -> "NetworkPolicy";
        };
    }

    @Override
    public void close() {
        writer.close();
    }
}
