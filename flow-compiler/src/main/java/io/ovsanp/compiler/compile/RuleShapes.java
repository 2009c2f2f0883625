package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.dns.DomainPattern;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.CidrSet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node-independent half of every rule, per address family: its segments (docs/architecture.md, "Rules
 * as conjunctive flows"): numeric ports × all destinations, one segment per resolved named port
 * (protocol, port) × the destination pods that have it, and in pre-DNAT mode one per ClusterIP and
 * service port the rule reaches ({@link ServiceVipTargets}). Computed once per snapshot and {@link
 * ServiceVips} mode, shared by every node's compile.
 *
 * <p>A rule whose destinations resolve to the same lists as in the previous snapshot, with the same
 * Services, keeps its previous {@link Shape} instance; so does one whose recomputed segments are equal.
 * A node's {@link CompileMemo} reuses a rule's flows only for an equal shape, which for a carried-over
 * shape is an identity check: "did anything this rule reads change" is answered once per snapshot.
 */
final class RuleShapes {
    /** One conjunction (or plain cross product) of a rule: destinations × ports; "any" leaves one out. */
    static final class Segment {
        private final String key;
        private final boolean anyDst;
        private final List<Match> dst;
        private final boolean anyPort;
        private final List<Match> ports;
        /**
         * Null, or (an ingress rule's named port) the addresses of the pods that have this port: the
         * segment applies only to the node's subject pods among them.
         */
        private final java.util.Set<Cidr> localOnly;
        /** Destinations × ports, for plain flows: built once per segment, shared by every node. */
        private volatile List<Match> product;

        Segment(String key, boolean anyDst, List<Match> dst, boolean anyPort, List<Match> ports) {
            this(key, anyDst, dst, anyPort, ports, null);
        }

        Segment(
                String key,
                boolean anyDst,
                List<Match> dst,
                boolean anyPort,
                List<Match> ports,
                java.util.Set<Cidr> localOnly) {
            this.key = key;
            this.anyDst = anyDst;
            this.dst = dst;
            this.anyPort = anyPort;
            this.ports = ports;
            this.localOnly = localOnly;
        }

        /** See the field: null when the segment applies to every subject pod. */
        java.util.Set<Cidr> localOnly() {
            return localOnly;
        }

        String key() {
            return key;
        }

        boolean anyDst() {
            return anyDst;
        }

        List<Match> dst() {
            return dst;
        }

        boolean anyPort() {
            return anyPort;
        }

        List<Match> ports() {
            return ports;
        }

        /** Every destination and port condition this segment combines ("any" ones left out). */
        List<Match> destinationsTimesPorts() {
            List<Match> p = product;
            if (p == null) {
                List<Match> out = new ArrayList<>();
                if (anyDst) {
                    out.addAll(row(Match.ANY));
                } else {
                    for (Match d : dst) out.addAll(row(d));
                }
                p = List.copyOf(out);
                product = p;
            }
            return p;
        }

        /** Destination {@code d} with each port condition (with none when any port). */
        private List<Match> row(Match d) {
            if (anyPort) {
                return List.of(Match.ANY.and(d));
            }
            List<Match> out = new ArrayList<>(ports.size());
            for (Match port : ports) out.add(d.and(port));
            return out;
        }

        /**
         * Takes over what {@code was} (this segment in the rule's previous shape) computed of {@link
         * #destinationsTimesPorts}: the rows of destinations both have (the same match instances, {@link
         * SnapshotIndex#destinationMatch}) are copied, only new destinations' rows are built. A shape
         * recomputed because one pod joined a destination then costs one row, not all of them. Nothing
         * of {@code was} is kept beyond this call.
         */
        @SuppressWarnings("ReferenceEquality") // destination matches are shared instances
        void deriveFrom(Segment was) {
            List<Match> had = was.product;
            if (had == null || anyDst || was.anyDst || anyPort != was.anyPort || !ports.equals(was.ports)) {
                return;
            }
            int width = anyPort ? 1 : ports.size();
            java.util.IdentityHashMap<Match, Integer> at = new java.util.IdentityHashMap<>();
            for (int i = 0; i < was.dst.size(); i++) at.put(was.dst.get(i), i);
            List<Match> out = new ArrayList<>(dst.size() * width);
            for (Match d : dst) {
                Integer i = at.get(d);
                out.addAll(i != null ? had.subList(i * width, (i + 1) * width) : row(d));
            }
            product = List.copyOf(out);
        }

        @Override
        public boolean equals(Object o) {
            return o == this
                    || (o instanceof Segment s
                            && key.equals(s.key)
                            && anyDst == s.anyDst
                            && anyPort == s.anyPort
                            && dst.equals(s.dst)
                            && ports.equals(s.ports)
                            && java.util.Objects.equals(localOnly, s.localOnly));
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(key, anyDst, dst, anyPort, ports, localOnly);
        }

        @Override
        public String toString() {
            return "Segment[" + key + ", dst=" + (anyDst ? "any" : dst) + ", ports=" + (anyPort ? "any" : ports) + "]";
        }
    }

    /** The destination dimension of aggregated CIDRs: built once per shape, not per node and compile. */
    private List<Match> destinations(List<Cidr> cidrs) {
        List<Match> out = new ArrayList<>(cidrs.size());
        for (Cidr c : cidrs) out.add(index.destinationMatch(c));
        return List.copyOf(out);
    }

    /** An ingress rule's peer dimension: the sources' aggregated CIDRs. */
    private List<Match> sources(List<Cidr> cidrs) {
        List<Match> out = new ArrayList<>(cidrs.size());
        for (Cidr c : cidrs) out.add(index.sourceMatch(c));
        return List.copyOf(out);
    }

    /**
     * A rule's segments per family. Unchanged rules keep the same instance from one snapshot to the
     * next, so equality is usually an identity check; a shape recomputed because the previous
     * snapshot's index never needed it compares by its segments.
     */
    static final class Shape {
        private final Map<IpFamily, List<Segment>> segments;

        private Shape(Map<IpFamily, List<Segment>> segments) {
            this.segments = segments;
        }

        List<Segment> segments(IpFamily f) {
            return segments.get(f);
        }

        /** Each segment takes over what the same segment (by key) of {@code was} computed. */
        void deriveFrom(Shape was) {
            segments.forEach((f, segs) -> {
                Map<String, Segment> before = new java.util.HashMap<>();
                for (Segment b : was.segments.get(f)) before.put(b.key(), b);
                for (Segment seg : segs) {
                    Segment b = before.get(seg.key());
                    if (b != null) seg.deriveFrom(b);
                }
            });
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Shape s && segments.equals(s.segments));
        }

        @Override
        public int hashCode() {
            return segments.hashCode();
        }
    }

    private final SnapshotIndex index;
    private final ServiceVips mode;
    private final ServiceVipTargets vips;
    private final List<Diagnostic> vipDiagnostics;
    /** The previous snapshot's targets were carried over: shapes may be too. */
    private final boolean carried;

    /**
     * Shapes by rule instance: the validator keeps an unchanged policy's rules from one snapshot to the
     * next, and hashing a rule by value (its selectors, ports and reference) was a tenth of a
     * local-pod event's compile. A rule equal to a previous one in a new instance finds its previous
     * shape by value ({@link #byValue}).
     */
    private final Map<RuleKey, Shape> shapes = new ConcurrentHashMap<>();

    /** A rule by identity. */
    private record RuleKey(EffectiveRule rule) {
        @Override
        @SuppressWarnings("ReferenceEquality") // identity is the point
        public boolean equals(Object o) {
            return o instanceof RuleKey k && k.rule == rule;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(rule);
        }
    }

    private RuleShapes(
            SnapshotIndex index,
            ServiceVips mode,
            ServiceVipTargets vips,
            List<Diagnostic> vipDiagnostics,
            boolean carried) {
        this.index = index;
        this.mode = mode;
        this.vips = vips;
        this.vipDiagnostics = List.copyOf(vipDiagnostics);
        this.carried = carried;
    }

    static RuleShapes of(SnapshotIndex index, ServiceVips mode, RuleShapes before, SnapshotDelta delta) {
        if (before != null && delta != null && (delta.servicesUnchanged() || !mode.enabled())) {
            return new RuleShapes(index, mode, before.vips.withResolver(index), before.vipDiagnostics, true);
        }
        List<Diagnostic> diags = new ArrayList<>();
        ServiceVipTargets vips = ServiceVipTargets.of(index.snapshot(), mode, index, diags);
        return new RuleShapes(index, mode, vips, diags, false);
    }

    /** What computing the targets reported (added to every compile that uses them). */
    List<Diagnostic> diagnostics() {
        return vipDiagnostics;
    }

    Shape shape(EffectiveRule rule) {
        RuleKey key = new RuleKey(rule);
        Shape s = shapes.get(key);
        if (s != null) {
            return s;
        }
        Shape old = previousShape(rule);
        if (old != null && carried && readsUnchanged(rule)) {
            s = old;
        } else {
            Map<IpFamily, List<Segment>> segs = new EnumMap<>(IpFamily.class);
            for (IpFamily f : IpFamily.values()) segs.put(f, List.copyOf(segments(rule, f)));
            s = new Shape(segs);
            if (s.equals(old)) {
                s = old;
            } else if (old != null) {
                s.deriveFrom(old);
            }
        }
        Shape had = shapes.putIfAbsent(key, s);
        return had != null ? had : s;
    }

    private Shape previousShape(EffectiveRule rule) {
        RuleShapes before = index.previous().map(p -> p.existingShapes(mode)).orElse(null);
        if (before == null) {
            return null;
        }
        Shape s = before.shapes.get(new RuleKey(rule));
        return s != null ? s : before.byValue().get(rule);
    }

    /** The shapes by rule value, for a rule that is equal to, not the same as, one of these (built once). */
    private volatile Map<EffectiveRule, Shape> byValue;

    private Map<EffectiveRule, Shape> byValue() {
        Map<EffectiveRule, Shape> m = byValue;
        if (m == null) {
            Map<EffectiveRule, Shape> all = new java.util.HashMap<>();
            shapes.forEach((k, v) -> all.put(k.rule(), v));
            m = java.util.Collections.unmodifiableMap(all);
            byValue = m;
        }
        return m;
    }

    /** The rule's destinations (and, for named ports, their pods) resolve to the previous lists. */
    private boolean readsUnchanged(EffectiveRule rule) {
        if (rule.namedPortsReadEveryPod() && !index.allPodsUnchangedSincePrevious()) {
            return false;
        }
        for (Destination d : rule.destinations()) {
            if (!index.unchangedSincePrevious(d)) return false;
        }
        return true;
    }

    private List<Segment> segments(EffectiveRule rule, IpFamily f) {
        boolean anyDst = rule.anyDestination();
        List<Cidr> dst = List.of();
        if (!anyDst) {
            if (rule.destinations().size() == 1) {
                dst = index.aggregated(rule.destinations().get(0), f);
            } else {
                List<Cidr> all = new ArrayList<>();
                for (Destination d : rule.destinations()) all.addAll(index.aggregated(d, f));
                dst = CidrSet.aggregate(all);
            }
            anyDst = dst.size() == 1 && dst.get(0).prefix() == 0;
        }
        List<Segment> out = new ArrayList<>();
        boolean ingress = rule.ref().ingress();
        List<Match> dstMatches = anyDst ? List.of() : ingress ? sources(dst) : destinations(dst);
        if (rule.anyPort()) {
            if (anyDst || !dst.isEmpty()) out.add(new Segment("all", anyDst, dstMatches, true, List.of()));
        } else if (ingress) {
            ingressPortSegments(rule, f, anyDst, dstMatches, out);
        } else {
            portSegments(rule, f, anyDst, dstMatches, out);
        }
        if (ingress) {
            return out; // a ClusterIP is translated before the destination's node sees the packet
        }
        // Pre-DNAT: the ClusterIP and service port of Services whose endpoints the rule covers.
        for (ServiceVipTargets.Target t : vips.targets(f)) {
            if (vips.reaches(rule, t)) {
                out.add(new Segment(
                        t.key(),
                        false,
                        List.of(Match.destination(Cidr.of(t.clusterIp()))),
                        false,
                        List.of(PortClauses.exact(
                                f, t.port().protocol(), t.port().port()))));
            }
        }
        return out;
    }

    private void portSegments(EffectiveRule rule, IpFamily f, boolean anyDst, List<Match> dst, List<Segment> out) {
        List<Match> numeric = PortClauses.numeric(rule.ports(), f);
        if (!numeric.isEmpty() && (anyDst || !dst.isEmpty())) {
            out.add(new Segment("ports", anyDst, dst, false, numeric));
        }
        for (Map.Entry<String, List<Cidr>> g : namedGroups(rule, f).entrySet()) {
            String[] pp = g.getKey().split(":");
            Protocol proto = Protocol.valueOf(pp[0]);
            int port = Integer.parseInt(pp[1]);
            out.add(new Segment(
                    "named:" + g.getKey(),
                    false,
                    destinations(CidrSet.aggregate(g.getValue())),
                    false,
                    List.of(PortClauses.exact(f, proto, port))));
        }
    }

    /**
     * An ingress rule's ports: numeric ports × its peers, and per (protocol, port) its named ports
     * resolve to in some pod, that port × its peers, restricted to the subject pods that have it.
     */
    private void ingressPortSegments(
            EffectiveRule rule, IpFamily f, boolean anyPeer, List<Match> peers, List<Segment> out) {
        if (!anyPeer && peers.isEmpty()) return;
        List<Match> numeric = PortClauses.numeric(rule.ports(), f);
        if (!numeric.isEmpty()) {
            out.add(new Segment("ports", anyPeer, peers, false, numeric));
        }
        for (Map.Entry<String, List<Cidr>> g : namedGroups(rule, f).entrySet()) {
            String[] pp = g.getKey().split(":");
            out.add(new Segment(
                    "named:" + g.getKey(),
                    anyPeer,
                    peers,
                    false,
                    List.of(PortClauses.exact(f, Protocol.valueOf(pp[0]), Integer.parseInt(pp[1]))),
                    java.util.Set.copyOf(g.getValue())));
        }
    }

    /**
     * {@code base} with, per subject pod that has learned addresses for the rule's {@code domainNames}
     * peers, one segment per family: those addresses × the rule's numeric ports (or any port), applying
     * to that pod only (docs/architecture.md, "Names learned from DNS"). {@code base} itself when no
     * subject learned anything the rule covers.
     */
    Shape learned(
            EffectiveRule rule, Shape base, List<io.ovsanp.compiler.cluster.PodInfo> subjects, ResolverStates learned) {
        if (learned.isEmpty() || rule.ref().ingress()) return base;
        List<DomainPattern> patterns = new ArrayList<>();
        for (Destination d : rule.destinations()) {
            if (d instanceof Destination.DomainNames dn) patterns.addAll(dn.patterns());
        }
        if (patterns.isEmpty()) return base;
        // per subject pod, once: the addresses its covered names resolved to, and its own addresses
        Map<io.ovsanp.compiler.cluster.PodInfo, List<IpAddress>> resolved = new java.util.LinkedHashMap<>();
        for (io.ovsanp.compiler.cluster.PodInfo pod : subjects) {
            List<IpAddress> out = new ArrayList<>();
            for (Map.Entry<String, java.util.Set<IpAddress>> e :
                    learned.forPod(pod.ips()).addresses().entrySet()) {
                if (patterns.stream().anyMatch(p -> p.matches(e.getKey()))) out.addAll(e.getValue());
            }
            if (!out.isEmpty()) resolved.put(pod, out);
        }
        if (resolved.isEmpty()) return base;
        Map<IpFamily, List<Segment>> segs = new EnumMap<>(IpFamily.class);
        boolean any = false;
        for (IpFamily f : IpFamily.values()) {
            List<Segment> out = new ArrayList<>(base.segments(f));
            List<Match> ports = rule.anyPort() ? List.of() : PortClauses.numeric(rule.ports(), f);
            if (rule.anyPort() || !ports.isEmpty()) {
                for (Map.Entry<io.ovsanp.compiler.cluster.PodInfo, List<IpAddress>> e : resolved.entrySet()) {
                    List<Cidr> addresses = new ArrayList<>();
                    for (IpAddress ip : e.getValue()) {
                        if (ip.family() == f) addresses.add(Cidr.of(ip));
                    }
                    if (addresses.isEmpty()) continue;
                    java.util.Set<Cidr> own = new java.util.HashSet<>();
                    for (IpAddress ip : e.getKey().ips()) own.add(Cidr.of(ip));
                    out.add(new Segment(
                            "learned:" + e.getKey().key(),
                            false,
                            destinations(CidrSet.aggregate(addresses)),
                            rule.anyPort(),
                            ports,
                            java.util.Set.copyOf(own)));
                    any = true;
                }
            }
            segs.put(f, List.copyOf(out));
        }
        return any ? new Shape(segs) : base;
    }

    /** The pods where the named ports resolve ({@link SnapshotIndex#namedPortTargets}) grouped by the (protocol, port). */
    private Map<String, List<Cidr>> namedGroups(EffectiveRule rule, IpFamily f) {
        List<PortMatch.Named> named = new ArrayList<>();
        for (PortMatch pm : rule.ports()) {
            if (pm instanceof PortMatch.Named n) named.add(n);
        }
        Map<String, List<Cidr>> groups = new TreeMap<>();
        if (named.isEmpty()) {
            return groups;
        }
        for (SnapshotIndex.NamedPortTarget t : index.namedPortTargets(rule)) {
            for (PortMatch.Named n : named) {
                for (ContainerPort cp : t.pod().ports()) {
                    if (!cp.name().equals(n.name())) continue;
                    if (n.protocol().isPresent() && n.protocol().get() != cp.protocol()) continue;
                    String key = cp.protocol() + ":" + String.format("%05d", cp.port());
                    for (IpAddress ip : t.ips()) {
                        if (ip.family() == f)
                            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(Cidr.of(ip));
                    }
                }
            }
        }
        return groups;
    }
}
