package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.pipeline.TableSpec;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code compile(snapshot, node, previous allocation) → flows + diagnostics + allocation}: the
 * egress pipeline of one node (docs/architecture.md). Pure and deterministic: the same input gives the
 * same flows, in the same order. Egress is enforced at the source node, so a node's flows hold only
 * rules whose subject pods run there; destinations are cluster-wide.
 */
public final class Compiler {
    /** Rule priorities of every policy table; 0 is the table's miss flow. */
    static final int RULE_LO = 100;

    static final int RULE_HI = 65000;
    /** Above every rule: a table that overflowed denies its subjects' traffic (fail-closed). */
    static final int OVERFLOW_PRIORITY = 65100;
    /** NetworkPolicyEgress: isolated pods' default drop, below every allow rule. */
    static final int ISOLATION_PRIORITY = 10;

    private final EffectivePolicies policies;
    private final String node;
    private final Allocation previous;
    private final CompileOptions options;
    private final PipelineSpec pipeline;
    private final Selection selection;
    private final FlowAccumulator acc;
    private final IdAllocator conjIds;
    private final IdAllocator ruleIds;
    private final Map<String, Integer> priorities = new HashMap<>();
    private final List<Diagnostic> diags = new ArrayList<>();
    private final List<RuleStats> ruleStats = new ArrayList<>();
    private final RuleCompiler rules;
    private final RuleShapes shapes;
    private final SourceMatcher sources;
    private final List<PodInfo> localPods;
    private final CompileMemo memo;
    /** Each rule's flows on the node: sorted, all at the rule's one table and priority. */
    private final List<List<Flow>> ruleFlows = new ArrayList<>();
    /** Subject dimensions per subject list (one list per policy on this node), by identity. */
    private final Map<List<PodInfo>, List<List<Match>>> subjectMatches = new IdentityHashMap<>();

    private final ReadSet.Builder reads = new ReadSet.Builder();

    private Compiler(
            SnapshotIndex index,
            EffectivePolicies policies,
            String node,
            Allocation previous,
            CompileOptions opts,
            CompileMemo memo) {
        this.policies = policies;
        this.node = node;
        this.previous = previous;
        this.options = opts;
        this.pipeline = opts.pipeline();
        this.selection = index.selection();
        this.acc = new FlowAccumulator(pipeline, index.interner());
        this.conjIds = new IdAllocator(previous.conjIds());
        this.ruleIds = new IdAllocator(previous.ruleIds());
        this.shapes = index.shapes(opts.serviceVips());
        diags.addAll(shapes.diagnostics());
        this.sources = new SourceMatcher(pipeline.placement().identityRegister(), diags);
        this.rules = new RuleCompiler(pipeline, index.interner(), conjIds);
        this.localPods = index.localPods(node);
        this.memo = memo;
        memo.selectionBasis(localPods, selection.namespaceLabels());
    }

    /**
     * Validates and compiles one node from scratch; for many nodes or successive snapshots use a
     * {@link CompileSession}, which shares the work between them.
     */
    public static CompileResult compile(ClusterSnapshot snapshot, String node, Allocation previous) {
        return compile(snapshot, PolicyValidator.validate(snapshot), node, previous, CompileOptions.DEFAULT);
    }

    public static CompileResult compile(
            ClusterSnapshot snapshot,
            EffectivePolicies policies,
            String node,
            Allocation previous,
            CompileOptions options) {
        return compile(snapshot, policies, node, previous, options, new CompileMemo());
    }

    /**
     * As above, reusing the flows of rules whose inputs did not change since {@code memo}'s last
     * compile (of this node); the result is the same as without the memo, only cheaper (most reuse
     * comes with a {@link CompileSession}'s index chain).
     */
    public static CompileResult compile(
            ClusterSnapshot snapshot,
            EffectivePolicies policies,
            String node,
            Allocation previous,
            CompileOptions options,
            CompileMemo memo) {
        return compile(SnapshotIndex.of(snapshot), policies, node, previous, options, memo);
    }

    static CompileResult compile(
            SnapshotIndex index,
            EffectivePolicies policies,
            String node,
            Allocation previous,
            CompileOptions options,
            CompileMemo memo) {
        memo.begin(node, options);
        CompileResult r = new Compiler(index, policies, node, previous, options, memo).run();
        memo.end();
        return r;
    }

    private CompileResult run() {
        PipelineFlows.add(acc, pipeline, options.generation());
        adminTier(Tier.ADMIN, policies.admin(), PipelineSpec.ADMIN_EGRESS, Cookie.Category.ADMIN);
        networkPolicyTier();
        adminTier(Tier.BASELINE, policies.baseline(), PipelineSpec.BASELINE_EGRESS, Cookie.Category.BASELINE);
        List<List<Flow>> runs = runs(acc.flows());
        runs.addAll(ruleFlows);
        FlowSet flowSet = FlowSet.ofSortedRuns(runs);
        List<Flow> flows = flowSet.flows();
        Map<TableId, String> names = new HashMap<>();
        Map<String, Integer> perTable = new LinkedHashMap<>();
        for (TableSpec t : pipeline.tables()) {
            perTable.put(t.name(), 0);
            names.put(pipeline.id(t.name()), t.name());
        }
        for (Flow f : flows) {
            String name = names.get(f.table());
            if (name != null) perTable.merge(name, 1, Integer::sum);
        }
        Allocation allocation = new Allocation(priorities, conjIds.assigned(), ruleIds.assigned());
        return new CompileResult(
                node, flowSet, diags, allocation, new CompileStats(perTable, ruleStats), reads.build());
    }

    /** Runs of flows at one (table, priority) each, from the sorted {@code flows}. */
    private static List<List<Flow>> runs(List<Flow> flows) {
        List<List<Flow>> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= flows.size(); i++) {
            if (i == flows.size()
                    || !flows.get(i).table().equals(flows.get(start).table())
                    || !flows.get(i).priority().equals(flows.get(start).priority())) {
                out.add(flows.subList(start, i));
                start = i;
            }
        }
        return out;
    }

    private record Planned(EffectiveRule rule, List<PodInfo> sources) {}

    private void adminTier(Tier tier, List<EffectiveAdminPolicy> ps, String tableName, Cookie.Category category) {
        List<Planned> planned = new ArrayList<>();
        for (EffectiveAdminPolicy p : ps) {
            List<PodInfo> subjects = memo.subjects(
                    p.subject(),
                    s -> localPods.stream()
                            .filter(pod -> selection.podMatches(pod, s.namespaceSelector(), s.podSelector()))
                            .toList());
            if (subjects.isEmpty()) continue;
            for (EffectiveRule r : p.rules()) {
                planned.add(new Planned(r, subjects));
                reads.add(r);
            }
        }
        emit(planned, tableName, category, rule -> verdict(tier, rule.action()));
    }

    private void networkPolicyTier() {
        String tableName = PipelineSpec.NETWORK_POLICY_EGRESS;
        TableId table = pipeline.id(tableName);
        List<Planned> planned = new ArrayList<>();
        Map<String, PodInfo> isolated = new LinkedHashMap<>();
        Map<String, List<PodInfo>> byNamespace = new HashMap<>();
        for (PodInfo pod : localPods)
            byNamespace.computeIfAbsent(pod.namespace(), k -> new ArrayList<>()).add(pod);
        for (EffectiveNetworkPolicy np : policies.networkPolicies()) {
            if (!np.isolatesEgress()) continue;
            List<PodInfo> candidates = byNamespace.get(np.namespace());
            if (candidates == null) continue;
            List<PodInfo> selected = candidates.stream()
                    .filter(pod -> np.podSelector().matches(pod.labels()))
                    .toList();
            if (selected.isEmpty()) continue;
            selected.forEach(pod -> isolated.put(pod.key(), pod));
            for (EffectiveRule r : np.rules()) {
                planned.add(new Planned(r, selected));
                reads.add(r);
            }
        }
        Cookie isolation = Cookie.of(options.generation(), Cookie.Category.NETWORK_POLICY, 0);
        dropAllFrom(isolated.values(), table, ISOLATION_PRIORITY, isolation);
        emit(planned, tableName, Cookie.Category.NETWORK_POLICY, rule -> verdict(Tier.NETWORK_POLICY, rule.action()));
    }

    private void emit(
            List<Planned> planned,
            String tableName,
            Cookie.Category category,
            java.util.function.Function<EffectiveRule, List<FlowAction>> verdictOf) {
        TableId table = pipeline.id(tableName);
        List<String> keys = planned.stream()
                .map(p -> tableName + "|" + p.rule().ref().key())
                .toList();
        Map<String, Integer> prio;
        try {
            prio = PriorityAllocator.allocate(keys, previous.priorities(), RULE_LO, RULE_HI);
        } catch (IllegalArgumentException tooMany) {
            overflow(planned, table, tableName, category, tooMany.getMessage());
            return;
        }
        priorities.putAll(prio);
        for (int i = 0; i < planned.size(); i++) {
            Planned p = planned.get(i);
            EffectiveRule rule = p.rule();
            long ruleId = ruleIds.id(rule.ref().key());
            Cookie cookie = Cookie.of(options.generation(), category, ruleId);
            int priority = prio.get(keys.get(i));
            List<FlowAction> verdict = verdictOf.apply(rule);
            List<List<Match>> src = subjectMatches.computeIfAbsent(p.sources(), this::subjectDimensions);
            CompileMemo.Key key = new CompileMemo.Key(table, priority, cookie, verdict, rule, shapes.shape(rule), src);
            CompileMemo.RuleOutput out = memo.lookup(keys.get(i), key);
            boolean reused = out != null && conjIds.claim(out.conjIds());
            if (!reused) {
                CompileMemo.RuleOutput before = memo.previous(keys.get(i));
                out = rules.compile(
                        rule,
                        key.shape(),
                        src,
                        !p.sources().isEmpty(),
                        table,
                        tableName,
                        priority,
                        cookie,
                        verdict,
                        before);
                if (before != null && out.restKey().equals(before.restKey())) memo.countRestReused();
            }
            memo.keep(keys.get(i), key, out, reused);
            ruleFlows.add(out.flows());
            ruleStats.add(out.stats());
            diags.addAll(out.diagnostics());
        }
    }

    /** The subject dimension of {@code pods} per address family, in {@link IpFamily#ordinal()} order. */
    private List<List<Match>> subjectDimensions(List<PodInfo> pods) {
        List<List<Match>> out = new ArrayList<>();
        for (IpFamily f : IpFamily.values()) out.add(List.copyOf(sources.subject(pods, f)));
        return List.copyOf(out);
    }

    private void overflow(
            List<Planned> planned, TableId table, String tableName, Cookie.Category category, String why) {
        diags.add(Diagnostic.error(
                ObjectRef.cluster("Node", node),
                "",
                tableName + ": " + why + "; all egress of the affected pods is denied (fail-closed)"));
        Cookie cookie = Cookie.of(options.generation(), category, 0);
        for (Planned p : planned) {
            dropAllFrom(p.sources(), table, OVERFLOW_PRIORITY, cookie);
        }
    }

    /** Drop flows for all IP egress of those pods (per address, or per identity), at {@code priority}. */
    private void dropAllFrom(java.util.Collection<PodInfo> pods, TableId table, int priority, Cookie cookie) {
        for (PodInfo pod : pods) {
            for (Match m : sources.everyPacketOf(pod)) {
                acc.plain(table, priority, cookie, m, List.of());
            }
        }
    }

    private List<FlowAction> verdict(Tier tier, Action action) {
        switch (action) {
            case ALLOW:
                return List.of(new FlowAction.GotoTable(pipeline.id(PipelineSpec.EGRESS_COMMIT)));
            case DENY:
                return List.of();
            case PASS:
                if (tier == Tier.BASELINE) {
                    // A Baseline ClusterNetworkPolicy's Pass skips the rest of the last policy tier:
                    // the default, allow, decides (docs/semantics.md, "Evaluation order for one egress connection").
                    return List.of(new FlowAction.GotoTable(pipeline.id(PipelineSpec.EGRESS_COMMIT)));
                }
                if (tier != Tier.ADMIN) {
                    throw new IllegalStateException("Pass in the NetworkPolicy tier reached the compiler");
                }
                return List.of(new FlowAction.GotoTable(pipeline.id(PipelineSpec.NETWORK_POLICY_EGRESS)));
        }
        throw new AssertionError(action);
    }
}
