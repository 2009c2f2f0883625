package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.policy.EffectiveRule;
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
     * The rule's flows on one node. {@code sources}: the subject dimension per address family
     * ({@link IpFamily#ordinal()}; an empty list: no subject sends that family); {@code hasSubjects}:
     * the rule applies to some pod of the node.
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
            List<FlowAction> verdict) {
        FlowAccumulator acc = new FlowAccumulator(pipeline, interner);
        Map<String, Long> usedConjIds = new TreeMap<>();
        List<Diagnostic> diags = new ArrayList<>();
        int flows = 0;
        int nSrc = 0;
        int nDst = 0;
        int nPorts = 0;
        long cross = 0;
        boolean namedResolved = false;
        for (IpFamily f : IpFamily.values()) {
            List<Match> src = sources.get(f.ordinal());
            if (src.isEmpty()) {
                continue;
            }
            List<RuleShapes.Segment> segments = shape.segments(f);
            namedResolved |= segments.stream().anyMatch(s -> s.key().startsWith("named"));
            for (RuleShapes.Segment seg : segments) {
                List<List<Match>> dims = new ArrayList<>();
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
                    for (Match m : crossProduct(dims)) {
                        if (acc.plain(table, priority, cookie, m, verdict)) flows++;
                    }
                } else {
                    String key = table + "|" + rule.ref().key() + "|" + f + "|" + seg.key();
                    ConjId id = new ConjId(conjIds.id(key));
                    usedConjIds.put(key, id.value());
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
        if (rule.hasNamedPorts() && !namedResolved && hasSubjects) {
            diags.add(Diagnostic.note(
                    rule.ref().policy(),
                    rule.ref().path() + ".ports",
                    "named port(s) resolve to no destination pod; they match nothing"));
        }
        RuleStats stats = new RuleStats(rule.ref(), tableName, priority, flows, nSrc, nDst, nPorts, cross);
        return new CompileMemo.RuleOutput(acc.flows(), stats, List.copyOf(diags), Map.copyOf(usedConjIds));
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
