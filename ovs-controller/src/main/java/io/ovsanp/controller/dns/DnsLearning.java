package io.ovsanp.controller.dns;

import io.ovsanp.compiler.dns.DomainPattern;
import io.ovsanp.compiler.dns.ResolverState;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.controller.audit.FrameHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the pods of every node learned from the DNS answers the switches held for the controller
 * (docs/architecture.md, "Names learned from DNS"): the answer's frame is read (Ethernet, IP, UDP or
 * TCP from port 53), its message parsed ({@link DnsAnswer}), and what it teaches for the {@code
 * domainNames} patterns of the cluster's rules kept per pod ({@link LearnedNames}) and per node (the
 * switch the answer came through runs the pod). Owned by the controller loop and used on its thread
 * only; the time is the caller's.
 */
public final class DnsLearning {
    /**
     * @param minTtl an address is kept at least this long (a short TTL must not expire it before the
     *     pod's first connection)
     * @param maxPerName a pod keeps at most this many addresses per name (those that expire last)
     * @param maxHeld answers held for the flows at once; beyond, an answer is released unlearned
     */
    public record Settings(Duration minTtl, int maxPerName, int maxHeld) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(60), 64, 1024);

        public Settings {
            Objects.requireNonNull(minTtl);
            if (minTtl.isNegative()) throw new IllegalArgumentException("minimum TTL is negative");
            if (maxPerName < 1) throw new IllegalArgumentException("addresses per name must be at least 1");
            if (maxHeld < 0) throw new IllegalArgumentException("held answers must be at least 0");
        }
    }

    /** What one held frame was. */
    public enum Kind {
        /** Not a DNS answer to a pod (no UDP/TCP payload from port 53, a fragment, a bare TCP segment). */
        NOT_AN_ANSWER,
        /** A payload from port 53 that is no answer DnsAnswer reads (also a TCP message split over segments). */
        UNPARSED,
        /** An answer that adds no address to what the pod had (nothing covered, or only a later expiry). */
        NOTHING_NEW,
        /** An answer that gave the pod a new address for a covered name: its node must be recompiled. */
        LEARNED
    }

    /** The outcome of one frame: what it was, the pod it went to, and the covered names it taught. */
    public record Observation(Kind kind, Optional<IpAddress> pod, List<String> names) {}

    private final Settings settings;
    private final LearnedNames names;
    /** node → the pods whose answers came through its switch. */
    private final Map<String, Set<IpAddress>> podsByNode = new HashMap<>();

    private List<DomainPattern> patterns = List.of();

    public DnsLearning(Settings settings) {
        this.settings = Objects.requireNonNull(settings);
        this.names = new LearnedNames(settings.minTtl(), settings.maxPerName());
    }

    public Settings settings() {
        return settings;
    }

    /** The patterns of every {@code domainNames} peer of {@code policies}' egress rules. */
    public void policies(EffectivePolicies policies) {
        Set<DomainPattern> all = new LinkedHashSet<>();
        List<EffectiveAdminPolicy> admin = new ArrayList<>(policies.admin());
        admin.addAll(policies.baseline());
        for (EffectiveAdminPolicy p : admin) {
            for (EffectiveRule r : p.rules(Direction.EGRESS)) {
                for (Destination d : r.destinations()) {
                    if (d instanceof Destination.DomainNames dn) all.addAll(dn.patterns());
                }
            }
        }
        patterns = List.copyOf(all);
    }

    /** Whether any rule has a {@code domainNames} peer. */
    public boolean hasPatterns() {
        return !patterns.isEmpty();
    }

    /** Reads a frame the switch of {@code node} held at {@code nowNanos} and learns what it teaches. */
    public Observation observe(String node, byte[] frame, long nowNanos) {
        Optional<FrameHeaders> h = FrameHeaders.parse(frame);
        if (h.isEmpty()
                || h.get().srcPort() != 53
                || h.get().payloadAt() < 0
                || (h.get().protocol() != FrameHeaders.UDP && h.get().protocol() != FrameHeaders.TCP)) {
            return new Observation(Kind.NOT_AN_ANSWER, Optional.empty(), List.of());
        }
        IpAddress pod = h.get().dst();
        Optional<byte[]> message = message(frame, h.get());
        if (message.isEmpty()) {
            // a TCP segment with data that is no whole message (cut over segments) is an unread answer
            boolean data = h.get().protocol() == FrameHeaders.TCP
                    && frame.length > h.get().payloadAt() + 2;
            return new Observation(data ? Kind.UNPARSED : Kind.NOT_AN_ANSWER, Optional.of(pod), List.of());
        }
        Optional<DnsAnswer> answer = DnsAnswer.parse(message.get());
        if (answer.isEmpty()) {
            return new Observation(Kind.UNPARSED, Optional.of(pod), List.of());
        }
        LearnedNames.Learned taught = names.learn(pod, answer.get(), patterns, nowNanos);
        if (taught.names().isEmpty()) {
            return new Observation(Kind.NOTHING_NEW, Optional.of(pod), List.of());
        }
        podsByNode.computeIfAbsent(node, k -> new HashSet<>()).add(pod);
        return new Observation(taught.newAddress() ? Kind.LEARNED : Kind.NOTHING_NEW, Optional.of(pod), taught.names());
    }

    /**
     * The DNS message of a frame from port 53: a UDP payload (as long as the UDP length says), or a TCP
     * segment holding one whole message after its 2-byte length. A TCP message cut over segments, or a
     * segment without data, gives empty.
     */
    static Optional<byte[]> message(byte[] frame, FrameHeaders h) {
        int at = h.payloadAt();
        if (h.protocol() == FrameHeaders.UDP) {
            int udpLength = ((frame[at - 4] & 0xff) << 8) | (frame[at - 3] & 0xff);
            int end = Math.min(frame.length, at - 8 + udpLength);
            return end > at ? Optional.of(Arrays.copyOfRange(frame, at, end)) : Optional.empty();
        }
        if (frame.length < at + 2) return Optional.empty();
        int length = ((frame[at] & 0xff) << 8) | (frame[at + 1] & 0xff);
        if (length < 12 || frame.length < at + 2 + length) return Optional.empty();
        return Optional.of(Arrays.copyOfRange(frame, at + 2, at + 2 + length));
    }

    /** What the pods of {@code node} have learned and not yet expired, for its compile. */
    public ResolverStates statesFor(String node, long nowNanos) {
        Map<IpAddress, ResolverState> by = new TreeMap<>();
        for (IpAddress pod : podsByNode.getOrDefault(node, Set.of())) by.put(pod, names.stateFor(pod, nowNanos));
        return ResolverStates.of(by);
    }

    /** Forgets what expired by {@code nowNanos}; returns the nodes whose pods forgot something. */
    public Set<String> expire(long nowNanos) {
        return nodesOf(names.expire(nowNanos));
    }

    /** When the next address expires (nanoTime), if any is learned. */
    public OptionalLong nextExpiry() {
        return names.nextExpiry();
    }

    /**
     * Forgets the pods whose address is not in {@code live} (they left; a new pod given the address
     * must not inherit their answers); returns the nodes that had them.
     */
    public Set<String> retain(Set<IpAddress> live) {
        // every pod that learned something is in podsByNode (observe adds it with its first name)
        Set<IpAddress> gone = new HashSet<>(names.pods());
        gone.removeAll(live);
        gone.forEach(names::forget);
        Set<String> nodes = nodesOf(gone);
        podsByNode.values().forEach(pods -> pods.removeAll(gone));
        podsByNode.values().removeIf(Set::isEmpty);
        return nodes;
    }

    /** A node that left: what its pods learned goes with it. */
    public void forgetNode(String node) {
        Set<IpAddress> pods = podsByNode.remove(node);
        if (pods != null) pods.forEach(names::forget);
    }

    /** (pod, name) pairs and (pod, name, address) triples learned, for the metrics. */
    public long[] counts() {
        return names.counts();
    }

    private Set<String> nodesOf(Set<IpAddress> pods) {
        Set<String> out = new HashSet<>();
        if (pods.isEmpty()) return out;
        podsByNode.forEach((node, ps) -> {
            for (IpAddress p : ps) {
                if (pods.contains(p)) {
                    out.add(node);
                    return;
                }
            }
        });
        return out;
    }
}
