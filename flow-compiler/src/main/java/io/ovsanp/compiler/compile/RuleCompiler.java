package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.CidrSet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles one effective rule into flows at one priority (ARCHITECTURE.md, "Rules as conjunctive
 * flows"). Per address family the rule splits into segments: numeric ports × all destinations, and
 * one segment per resolved named port (protocol, port) × the destination pods that have it. Each
 * segment is a conjunction of its dimensions (source, destination, port; an "any" dimension is left
 * out), or plain flows when that is cheaper or only one dimension is left. All segments share the
 * rule's priority and verdict, so where they overlap the outcome is the same. In pre-DNAT mode a
 * rule that reaches a Service's endpoints gets one more segment per ClusterIP and service port
 * ({@link ServiceVipTargets}).
 */
final class RuleCompiler {
    private final SourceMatcher sourceMatcher;
    private final SnapshotIndex resolver;
    private final FlowAccumulator acc;
    private final IdAllocator conjIds;
    private final List<Diagnostic> diags;
    private final ServiceVipTargets vips;

    RuleCompiler(
            SnapshotIndex resolver,
            ServiceVipTargets vips,
            FlowAccumulator acc,
            IdAllocator conjIds,
            List<Diagnostic> diags,
            SourceMatcher sourceMatcher) {
        this.sourceMatcher = sourceMatcher;
        this.resolver = resolver;
        this.vips = vips;
        this.acc = acc;
        this.conjIds = conjIds;
        this.diags = diags;
    }

    private record Segment(String key, boolean anyDst, List<Cidr> dst, boolean anyPort, List<Match> ports) {}

    RuleStats compile(
            EffectiveRule rule,
            List<PodInfo> sources,
            TableId table,
            String tableName,
            int priority,
            Cookie cookie,
            List<FlowAction> verdict) {
        int flows = 0;
        int nSrc = 0;
        int nDst = 0;
        int nPorts = 0;
        long cross = 0;
        boolean namedResolved = false;
        for (IpFamily f : IpFamily.values()) {
            List<Match> src = sourceMatcher.subject(sources, f);
            if (src.isEmpty()) {
                continue;
            }
            List<Segment> segments = segments(rule, f);
            namedResolved |= segments.stream().anyMatch(s -> s.key().startsWith("named"));
            for (Segment seg : segments) {
                List<List<Match>> dims = new ArrayList<>();
                dims.add(src);
                if (!seg.anyDst())
                    dims.add(seg.dst().stream().map(Match::destination).toList());
                if (!seg.anyPort()) dims.add(seg.ports());
                nSrc += src.size();
                nDst += seg.anyDst() ? 0 : seg.dst().size();
                nPorts += seg.anyPort() ? 0 : seg.ports().size();
                long product = 1;
                long sum = 1;
                for (List<Match> d : dims) {
                    product *= d.size();
                    sum += d.size();
                }
                cross += product;
                if (dims.size() == 1 || product <= sum) {
                    for (Match m : crossProduct(dims)) {
                        if (acc.plain(table, priority, cookie, m, verdict)) flows++;
                    }
                } else {
                    String key = table + "|" + rule.ref().key() + "|" + f + "|" + seg.key();
                    ConjId id = new ConjId(conjIds.id(key));
                    int n = dims.size();
                    for (int k = 0; k < n; k++) {
                        FlowAction.Conjunction c = new FlowAction.Conjunction(id, k + 1, n);
                        for (Match m : dims.get(k)) {
                            if (acc.clause(table, priority, cookie, m, c)) flows++;
                        }
                    }
                    if (acc.plain(table, priority, cookie, Match.ANY.with(Field.CONJ_ID, id.value()), verdict)) {
                        flows++;
                    }
                }
            }
        }
        boolean hasNamed = rule.ports().stream().anyMatch(p -> p instanceof PortMatch.Named);
        if (hasNamed && !namedResolved && !sources.isEmpty()) {
            diags.add(Diagnostic.note(
                    rule.ref().policy(),
                    rule.ref().path() + ".ports",
                    "named port(s) resolve to no destination pod; they match nothing"));
        }
        return new RuleStats(rule.ref(), tableName, priority, flows, nSrc, nDst, nPorts, cross);
    }

    private List<Segment> segments(EffectiveRule rule, IpFamily f) {
        boolean anyDst = rule.anyDestination();
        List<Cidr> dst = List.of();
        if (!anyDst) {
            List<Cidr> all = new ArrayList<>();
            for (Destination d : rule.destinations()) {
                for (Cidr c : resolver.cidrs(d)) {
                    if (c.family() == f) all.add(c);
                }
            }
            dst = CidrSet.aggregate(all);
            anyDst = dst.size() == 1 && dst.get(0).prefix() == 0;
        }
        List<Segment> out = new ArrayList<>();
        if (rule.anyPort()) {
            if (anyDst || !dst.isEmpty()) out.add(new Segment("all", anyDst, dst, true, List.of()));
        } else {
            portSegments(rule, f, anyDst, dst, out);
        }
        // Pre-DNAT: the ClusterIP and service port of Services whose endpoints the rule covers.
        for (ServiceVipTargets.Target t : vips.targets(f)) {
            if (vips.reaches(rule, t)) {
                out.add(new Segment(
                        t.key(),
                        false,
                        List.of(Cidr.of(t.clusterIp())),
                        false,
                        List.of(PortClauses.exact(
                                f, t.port().protocol(), t.port().port()))));
            }
        }
        return out;
    }

    private void portSegments(EffectiveRule rule, IpFamily f, boolean anyDst, List<Cidr> dst, List<Segment> out) {
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
                    CidrSet.aggregate(g.getValue()),
                    false,
                    List.of(PortClauses.exact(f, proto, port))));
        }
    }

    /** Destination pods grouped by the (protocol, port) their named ports resolve to. */
    private Map<String, List<Cidr>> namedGroups(EffectiveRule rule, IpFamily f) {
        List<PortMatch.Named> named = new ArrayList<>();
        for (PortMatch pm : rule.ports()) {
            if (pm instanceof PortMatch.Named n) named.add(n);
        }
        Map<String, List<Cidr>> groups = new TreeMap<>();
        if (named.isEmpty()) {
            return groups;
        }
        for (PodInfo pod : resolver.destinationPods(rule)) {
            for (PortMatch.Named n : named) {
                for (ContainerPort cp : pod.ports()) {
                    if (!cp.name().equals(n.name())) continue;
                    if (n.protocol().isPresent() && n.protocol().get() != cp.protocol()) continue;
                    String key = cp.protocol() + ":" + String.format("%05d", cp.port());
                    for (IpAddress ip : pod.ips()) {
                        if (ip.family() == f)
                            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(Cidr.of(ip));
                    }
                }
            }
        }
        return groups;
    }

    private static List<Match> crossProduct(List<List<Match>> dims) {
        List<Match> out = List.of(Match.ANY);
        for (List<Match> d : dims) {
            List<Match> next = new ArrayList<>(out.size() * d.size());
            for (Match a : out) {
                for (Match b : d) next.add(a.and(b));
            }
            out = next;
        }
        return out;
    }
}
