package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.Subject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One node's compiled rules, kept from one compile of the node to the next: a rule whose inputs are
 * unchanged (the same rule, table, priority, cookie and verdict, the same subject matches, the same
 * {@link RuleShapes.Shape} and conjunction ids the allocation still holds) gets its previous
 * flows back instead of being compiled again. After an event most of a node's rules are unchanged, so
 * a recompile costs the changed rules plus assembling the node's flow list.
 *
 * <p>The result does not depend on the memo: a compile with it equals one without it (the property
 * {@code CompileMemoProperties} checks this over random cluster changes). A memo belongs to one node
 * and is used by one compile at a time; a different node or options empty it.
 */
public final class CompileMemo {
    /** Everything a rule's flows depend on. */
    record Key(
            TableId table,
            int priority,
            Cookie cookie,
            List<FlowAction> verdict,
            EffectiveRule rule,
            RuleShapes.Shape shape,
            List<List<Match>> sources) {}

    /** A rule's flows on the node and what its compile reported and allocated. */
    record RuleOutput(
            List<Flow> flows,
            RuleStats stats,
            List<Diagnostic> diagnostics,
            Map<String, Long> conjIds,
            RuleCompiler.RestKey restKey) {}

    private record Entry(Key key, RuleOutput output) {}

    private String node;
    private CompileOptions options;
    private Map<String, Entry> entries = Map.of();
    private Map<String, Entry> next = new HashMap<>();
    /** ANP subjects among the node's pods, valid for these pods and namespace labels (by identity). */
    private final Map<Subject, List<PodInfo>> subjects = new HashMap<>();

    private List<PodInfo> subjectPods;
    private Map<String, Map<String, String>> subjectLabels;
    private int reused;
    private int compiled;
    private int restReused;

    /** Rules whose flows the last compile reused. */
    public int reused() {
        return reused;
    }

    /** Rules the last compile compiled. */
    public int compiled() {
        return compiled;
    }

    /**
     * Of the rules the last compile compiled, those that kept their flows outside the source dimension
     * (only their subjects' addresses changed).
     */
    public int restReused() {
        return restReused;
    }

    void countRestReused() {
        restReused++;
    }

    void begin(String node, CompileOptions options) {
        if (!node.equals(this.node) || !options.equals(this.options)) {
            entries = Map.of();
            subjects.clear();
            subjectPods = null;
        }
        this.node = node;
        this.options = options;
        next = new HashMap<>();
        reused = 0;
        compiled = 0;
        restReused = 0;
    }

    /** The node's pods and namespace labels of this compile; subjects are kept while both are the same. */
    @SuppressWarnings("ReferenceEquality") // carried-over instances: identity means unchanged
    void selectionBasis(List<PodInfo> pods, Map<String, Map<String, String>> labels) {
        if (pods != subjectPods || labels != subjectLabels) {
            subjects.clear();
            subjectPods = pods;
            subjectLabels = labels;
        }
    }

    /** The node's pods {@code subject} selects, computed by {@code select} unless known. */
    List<PodInfo> subjects(Subject subject, Function<Subject, List<PodInfo>> select) {
        return subjects.computeIfAbsent(subject, select);
    }

    /** The previous output of the rule in {@code slot} if it was compiled from an equal key. */
    RuleOutput lookup(String slot, Key key) {
        Entry e = entries.get(slot);
        return e != null && e.key().equals(key) ? e.output() : null;
    }

    /** The previous output of the rule in {@code slot}, whatever its key (for partial reuse). */
    RuleOutput previous(String slot) {
        Entry e = entries.get(slot);
        return e == null ? null : e.output();
    }

    /** Records the output for the next compile; {@code wasReused} counts it. */
    void keep(String slot, Key key, RuleOutput out, boolean wasReused) {
        next.put(slot, new Entry(key, out));
        if (wasReused) {
            reused++;
        } else {
            compiled++;
        }
    }

    /** The compile finished: what it kept replaces the previous entries. */
    void end() {
        entries = next;
        next = new HashMap<>();
    }
}
