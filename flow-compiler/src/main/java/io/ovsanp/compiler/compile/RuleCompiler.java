package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.policy.EffectiveRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles one effective rule into flows at one priority (docs/architecture.md, "Rules as conjunctive
 * flows"). Per address family the rule splits into segments: numeric ports × all destinations, and
 * one segment per resolved named port (protocol, port) × the destination pods that have it. Each
 * segment ({@link RuleShapes}, shared by every node) is a conjunction of its dimensions (source, destination, port; an "any" dimension is left
 * out), or plain flows when that is cheaper or only one dimension is left. All segments share the
 * rule's priority and verdict, so where they overlap the outcome is the same. In pre-DNAT mode a
 * rule that reaches a Service's endpoints gets one more segment per ClusterIP and service port
 * ({@link ServiceVipTargets}).
 */
final class RuleCompiler {
    private final PipelineSpec pipeline;
    private final FlowInterner interner;
    private final IdAllocator conjIds;

    RuleCompiler(PipelineSpec pipeline, FlowInterner interner, IdAllocator conjIds) {
        this.pipeline = pipeline;
        this.interner = interner;
        this.conjIds = conjIds;
        this.sourceFields = pipeline.placement()
                .identityRegister()
                .map(r -> new Field[] {Field.IPV4_SRC, Field.IPV6_SRC, Field.reg(r)})
                .orElse(new Field[] {Field.IPV4_SRC, Field.IPV6_SRC});
    }

    /**
     * What a rule's flows outside the source dimension depend on: the rule's place and verdict, its
     * shape, and which segments are conjunctions under which ids. Those flows (the destination and
     * port clauses and the {@code conj_id} flows) never mention a source, and the flows of one source
     * match (its clause, or its plain cross products) depend on this key and that match alone. So a
     * rule whose subjects changed (a pod on the node came or went) keeps both and builds only the
     * flows of source matches it did not have.
     */
    record RestKey(
            TableId table,
            int priority,
            Cookie cookie,
            List<FlowAction> verdict,
            RuleShapes.Shape shape,
            List<ConjPlan> conjunctions) {}

    /** Segment {@code segment} of family {@code family}'s list became conjunction {@code id} of {@code n} clauses. */
    record ConjPlan(IpFamily family, int segment, long id, int n) {}

    /** One segment as compiled on this node: its dimensions and, for a conjunction, its id. */
    private record Planned(
            IpFamily family,
            RuleShapes.Segment segment,
            List<List<Match>> dims,
            FlowAction.Conjunction[] clauses,
            ConjId id) {
        /** The segment applies to some of the subject pods only (an ingress rule's named port). */
        boolean restricted() {
            return segment.localOnly() != null;
        }
    }

    /** The fields of an ingress rule's local dimension: the subject pods as destinations. */
    private static final Field[] DESTINATION_FIELDS = {Field.IPV4_DST, Field.IPV6_DST};

    /** The fields a source match conditions besides eth_type: an address, or an identity register. */
    private final Field[] sourceFields;

    /**
     * The rule's flows on one node. {@code sources}: the subject dimension per address family
     * ({@link IpFamily#ordinal()}; an empty list: no subject sends that family); {@code hasSubjects}:
     * the rule applies to some pod of the node; {@code before}: the rule's previous output on the node
     * (any key), whose flows are reused, all but those of source matches it did not have, when it was
     * built for the same {@link RestKey}. For an ingress rule the "sources" are the subject pods as
     * destinations and the segments' "destinations" the peers as sources; {@code restrict} gives the
     * local dimension of a segment that applies to some subject pods only ({@link
     * RuleShapes.Segment#localOnly()}).
     */
    CompileMemo.RuleOutput compile(
            EffectiveRule rule,
            RuleShapes.Shape shape,
            List<List<Match>> sources,
            java.util.function.BiFunction<IpFamily, java.util.Set<io.ovsanp.compiler.net.Cidr>, List<Match>> restrict,
            boolean hasSubjects,
            TableId table,
            String tableName,
            int priority,
            Cookie cookie,
            List<FlowAction> verdict,
            CompileMemo.RuleOutput before) {
        Map<String, Long> usedConjIds = new TreeMap<>();
        List<Diagnostic> diags = new ArrayList<>();
        int nSrc = 0;
        int nDst = 0;
        int nPorts = 0;
        long cross = 0;
        boolean namedResolved = false;
        List<Planned> planned = new ArrayList<>();
        List<ConjPlan> conjunctions = new ArrayList<>();
        for (IpFamily f : IpFamily.values()) {
            List<Match> src = sources.get(f.ordinal());
            if (src.isEmpty()) {
                continue;
            }
            List<RuleShapes.Segment> segments = shape.segments(f);
            namedResolved |= segments.stream().anyMatch(s -> s.key().startsWith("named"));
            for (int i = 0; i < segments.size(); i++) {
                RuleShapes.Segment seg = segments.get(i);
                List<Match> local = seg.localOnly() == null ? src : restrict.apply(f, seg.localOnly());
                if (local.isEmpty()) continue;
                List<List<Match>> dims = new ArrayList<>(3);
                dims.add(local);
                if (!seg.anyDst()) dims.add(seg.dst());
                if (!seg.anyPort()) dims.add(seg.ports());
                nSrc += local.size();
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
                    planned.add(new Planned(f, seg, dims, null, null));
                } else {
                    String key = table + "|" + rule.ref().key() + "|" + f + "|" + seg.key();
                    ConjId id = new ConjId(conjIds.id(key));
                    usedConjIds.put(key, id.value());
                    int n = dims.size();
                    FlowAction.Conjunction[] clauses = new FlowAction.Conjunction[n];
                    for (int k = 0; k < n; k++) clauses[k] = new FlowAction.Conjunction(id, k + 1, n);
                    planned.add(new Planned(f, seg, dims, clauses, id));
                    conjunctions.add(new ConjPlan(f, i, id.value(), n));
                }
            }
        }
        RestKey restKey = new RestKey(table, priority, cookie, verdict, shape, List.copyOf(conjunctions));
        Field[] localFields = rule.ref().ingress() ? DESTINATION_FIELDS : sourceFields;
        boolean restricted = planned.stream().anyMatch(Planned::restricted);
        boolean sameKey = !restricted
                && before != null
                && before.restKey() != null
                && before.restKey().equals(restKey);
        List<Flow> rest;
        Map<SourceKey, List<Flow>> groups = new HashMap<>();
        if (sameKey) {
            rest = new ArrayList<>();
            split(before.flows(), rest, groups, localFields);
        } else {
            rest = restFlows(planned, table, priority, cookie, verdict);
        }
        // Flows of the source dimension, and plain cross products (which include it): never equal to a
        // rest flow, which matches no source, nor to another source match's flows.
        List<Flow> kept = new ArrayList<>();
        FlowAccumulator fresh = new FlowAccumulator(pipeline, interner);
        for (IpFamily f : IpFamily.values()) {
            for (Match m : sources.get(f.ordinal())) {
                List<Flow> g = groups.isEmpty() ? null : groups.get(sourceKey(m, localFields));
                if (g != null) {
                    kept.addAll(g);
                } else {
                    sourceFlows(fresh, m, f, planned, table, priority, cookie, verdict);
                }
            }
        }
        for (Planned p : planned) {
            if (!p.restricted()) continue;
            for (Match m : p.dims().get(0)) segmentFlows(fresh, m, p, table, priority, cookie, verdict);
        }
        List<Flow> bySource = fresh.flows();
        if (!kept.isEmpty()) {
            kept.addAll(bySource);
            kept.sort(Flow.ORDER);
            bySource = kept;
        }
        List<Flow> flows = merge(rest, bySource);
        if (rule.hasNamedPorts() && !namedResolved && hasSubjects) {
            diags.add(Diagnostic.note(
                    rule.ref().policy(),
                    rule.ref().path() + ".ports",
                    "named port(s) resolve to no destination pod; they match nothing"));
        }
        // An ingress rule's local dimension is its subjects, the packets' destinations; its peers are the sources.
        RuleStats stats = rule.ref().ingress()
                ? new RuleStats(rule.ref(), rule.action(), tableName, priority, flows.size(), nDst, nSrc, nPorts, cross)
                : new RuleStats(
                        rule.ref(), rule.action(), tableName, priority, flows.size(), nSrc, nDst, nPorts, cross);
        return new CompileMemo.RuleOutput(flows, stats, List.copyOf(diags), Map.copyOf(usedConjIds), restKey);
    }

    /** A source match's conditions: its eth_type and its address or identity condition. */
    private record SourceKey(FieldMatch ethType, FieldMatch source) {}

    private static SourceKey sourceKey(Match m, Field[] localFields) {
        Map<Field, FieldMatch> fields = m.fields();
        for (Field f : localFields) {
            FieldMatch s = fields.get(f);
            if (s != null) return new SourceKey(fields.get(Field.ETH_TYPE), s);
        }
        return null;
    }

    /** Sorts a previous output's flows into those that match no source (in order) and those of each source. */
    private static void split(
            List<Flow> flows, List<Flow> rest, Map<SourceKey, List<Flow>> groups, Field[] localFields) {
        for (Flow f : flows) {
            SourceKey k = sourceKey(f.match(), localFields);
            if (k == null) {
                rest.add(f);
            } else {
                groups.computeIfAbsent(k, x -> new ArrayList<>(2)).add(f);
            }
        }
    }

    /** Adds the flows of one source match {@code m} of family {@code f}: its clause and its plain cross products. */
    private static void sourceFlows(
            FlowAccumulator acc,
            Match m,
            IpFamily f,
            List<Planned> planned,
            TableId table,
            int priority,
            Cookie cookie,
            List<FlowAction> verdict) {
        for (Planned p : planned) {
            if (p.family() != f || p.restricted()) continue;
            segmentFlows(acc, m, p, table, priority, cookie, verdict);
        }
    }

    /** The flows of local match {@code m} in segment {@code p}: its clause, or its plain cross products. */
    private static void segmentFlows(
            FlowAccumulator acc,
            Match m,
            Planned p,
            TableId table,
            int priority,
            Cookie cookie,
            List<FlowAction> verdict) {
        if (p.id() == null) {
            for (Match r : p.segment().destinationsTimesPorts()) {
                acc.plain(table, priority, cookie, m.and(r), verdict);
            }
        } else {
            acc.clause(table, priority, cookie, m, p.clauses()[0]);
        }
    }

    /** The clauses of every conjunction's other dimensions, and its {@code conj_id} flow. */
    private List<Flow> restFlows(
            List<Planned> planned, TableId table, int priority, Cookie cookie, List<FlowAction> verdict) {
        FlowAccumulator acc = new FlowAccumulator(pipeline, interner);
        for (Planned p : planned) {
            if (p.id() == null) continue;
            for (int k = 1; k < p.dims().size(); k++) {
                for (Match m : p.dims().get(k)) acc.clause(table, priority, cookie, m, p.clauses()[k]);
            }
            acc.plain(table, priority, cookie, Match.ANY.with(Field.CONJ_ID, p.id().value()), verdict);
        }
        return acc.flows();
    }

    /**
     * Two sorted lists of flows as one sorted list. They never share a (table, priority, match): the
     * source-dimension flows all match a source, the others none; a clash would be a compiler bug.
     */
    private static List<Flow> merge(List<Flow> a, List<Flow> b) {
        for (int i = 1; i < b.size(); i++) {
            if (Flow.ORDER.compare(b.get(i - 1), b.get(i)) == 0) {
                throw new IllegalStateException("two source matches' flows clash at " + b.get(i));
            }
        }
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        List<Flow> out = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            int c = Flow.ORDER.compare(a.get(i), b.get(j));
            if (c == 0) throw new IllegalStateException("source and other flows clash at " + a.get(i));
            out.add(c < 0 ? a.get(i++) : b.get(j++));
        }
        while (i < a.size()) out.add(a.get(i++));
        while (j < b.size()) out.add(b.get(j++));
        return out;
    }
}
