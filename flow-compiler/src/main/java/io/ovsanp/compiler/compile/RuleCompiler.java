package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.PortMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles one effective rule into flows at one priority (ARCHITECTURE.md, "Rules as conjunctive
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
    }

    /**
     * What a rule's flows outside the source dimension depend on: the rule's place and verdict, its
     * shape, and which segments are conjunctions under which ids. Those flows (the destination and
     * port clauses and the {@code conj_id} flows) never mention a source, so a rule whose subjects
     * changed (a pod on the node came or went) keeps them and rebuilds only its source clauses.
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

    /** The source-independent flows of a rule, sorted, and the key they were built for. */
    record Rest(RestKey key, List<Flow> flows) {}

    /** One segment as compiled on this node: its dimensions and, for a conjunction, its id. */
    private record Planned(List<List<Match>> dims, FlowAction.Conjunction[] clauses, ConjId id) {}

    /**
     * The rule's flows on one node. {@code sources}: the subject dimension per address family
     * ({@link IpFamily#ordinal()}; an empty list: no subject sends that family); {@code hasSubjects}:
     * the rule applies to some pod of the node; {@code before}: the rule's previous output on the node
     * (any key), whose source-independent flows are reused when they were built for the same {@link
     * RestKey}.
     */
    CompileMemo.RuleOutput compile(
            EffectiveRule rule,
            RuleShapes.Shape shape,
            List<List<Match>> sources,
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
                List<List<Match>> dims = new ArrayList<>(3);
                dims.add(src);
                if (!seg.anyDst()) dims.add(seg.dst());
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
                    planned.add(new Planned(dims, null, null));
                } else {
                    String key = table + "|" + rule.ref().key() + "|" + f + "|" + seg.key();
                    ConjId id = new ConjId(conjIds.id(key));
                    usedConjIds.put(key, id.value());
                    int n = dims.size();
                    FlowAction.Conjunction[] clauses = new FlowAction.Conjunction[n];
                    for (int k = 0; k < n; k++) clauses[k] = new FlowAction.Conjunction(id, k + 1, n);
                    planned.add(new Planned(dims, clauses, id));
                    conjunctions.add(new ConjPlan(f, i, id.value(), n));
                }
            }
        }
        RestKey restKey = new RestKey(table, priority, cookie, verdict, shape, List.copyOf(conjunctions));
        Rest rest =
                before != null && before.rest() != null && before.rest().key().equals(restKey)
                        ? before.rest()
                        : new Rest(restKey, restFlows(planned, table, priority, cookie, verdict));
        // Flows of the source dimension, and plain cross products (which include it): never equal to a
        // rest flow, which matches no source.
        FlowAccumulator acc = new FlowAccumulator(pipeline, interner);
        for (Planned p : planned) {
            if (p.id() == null) {
                for (Match m : crossProduct(p.dims())) acc.plain(table, priority, cookie, m, verdict);
            } else {
                for (Match m : p.dims().get(0)) acc.clause(table, priority, cookie, m, p.clauses()[0]);
            }
        }
        List<Flow> flows = merge(rest.flows(), acc.flows());
        boolean hasNamed = rule.ports().stream().anyMatch(p -> p instanceof PortMatch.Named);
        if (hasNamed && !namedResolved && hasSubjects) {
            diags.add(Diagnostic.note(
                    rule.ref().policy(),
                    rule.ref().path() + ".ports",
                    "named port(s) resolve to no destination pod; they match nothing"));
        }
        RuleStats stats = new RuleStats(rule.ref(), tableName, priority, flows.size(), nSrc, nDst, nPorts, cross);
        return new CompileMemo.RuleOutput(flows, stats, List.copyOf(diags), Map.copyOf(usedConjIds), rest);
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
