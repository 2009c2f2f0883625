package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.pipeline.TableSpec;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code compile(snapshot, node, previous allocation) → flows + diagnostics + allocation}: the
 * policy pipeline of one node (docs/architecture.md). Pure and deterministic: the same input gives the
 * same flows, in the same order. Egress is enforced at the source node and ingress at the destination
 * node, so a node's flows hold only rules whose subject pods run there, egress rules matching them as
 * sources and ingress rules as destinations; peers are cluster-wide.
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
    private final ClusterSnapshot snapshot;
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
    /** Subject dimensions per subject list (one list per policy on this node), by identity, per direction. */
    private final Map<List<PodInfo>, List<List<Match>>> subjectMatches = new IdentityHashMap<>();

    private final Map<List<PodInfo>, List<List<Match>>> subjectDestinations = new IdentityHashMap<>();
    /** ConntrackState: a local pod's packets to its own address skip policy, above every rule table. */
    static final int SELF_PRIORITY = 10;
    /** ConntrackState: DNS answers to subjects of domainNames rules, above the established flow (21). */
    static final int DNS_PRIORITY = 25;
    /** Local pods that are subjects of an egress rule with a {@code domainNames} peer, by key. */
    private final Map<String, PodInfo> dnsSubjects = new java.util.TreeMap<>();

    private final ReadSet.Builder reads = new ReadSet.Builder();
    /** What the node's pods learned from DNS answers, for their rules' {@code domainNames} peers. */
    private final ResolverStates learned;

    private Compiler(
            SnapshotIndex index,
            EffectivePolicies policies,
            String node,
            Allocation previous,
            CompileOptions opts,
            CompileMemo memo,
            ResolverStates learned) {
        this.learned = learned;
        this.policies = policies;
        this.snapshot = index.snapshot();
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
        return compile(SnapshotIndex.of(snapshot), policies, node, previous, options, memo, ResolverStates.NONE);
    }

    /** As above, with what the node's pods learned from DNS ({@code domainNames} peers). */
    public static CompileResult compile(
            ClusterSnapshot snapshot,
            EffectivePolicies policies,
            String node,
            Allocation previous,
            CompileOptions options,
            ResolverStates learned) {
        return compile(SnapshotIndex.of(snapshot), policies, node, previous, options, new CompileMemo(), learned);
    }

    static CompileResult compile(
            SnapshotIndex index,
            EffectivePolicies policies,
            String node,
            Allocation previous,
            CompileOptions options,
            CompileMemo memo,
            ResolverStates learned) {
        memo.begin(node, options);
        CompileResult r = new Compiler(index, policies, node, previous, options, memo, learned).run();
        memo.end();
        return r;
    }

    private CompileResult run() {
        PipelineFlows.add(acc, pipeline, options.generation());
        selfTraffic();
        adminTier(Tier.ADMIN, Direction.EGRESS, policies.admin(), PipelineSpec.ADMIN_EGRESS, Cookie.Category.ADMIN);
        networkPolicyTier(Direction.EGRESS, PipelineSpec.NETWORK_POLICY_EGRESS);
        adminTier(
                Tier.BASELINE,
                Direction.EGRESS,
                policies.baseline(),
                PipelineSpec.BASELINE_EGRESS,
                Cookie.Category.BASELINE);
        adminTier(Tier.ADMIN, Direction.INGRESS, policies.admin(), PipelineSpec.ADMIN_INGRESS, Cookie.Category.ADMIN);
        networkPolicyTier(Direction.INGRESS, PipelineSpec.NETWORK_POLICY_INGRESS);
        adminTier(
                Tier.BASELINE,
                Direction.INGRESS,
                policies.baseline(),
                PipelineSpec.BASELINE_INGRESS,
                Cookie.Category.BASELINE);
        dnsInterception();
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

    /**
     * A pod reaching its own address is not subject to policy (docs/semantics.md): per address of each
     * local pod, its packets to that address skip the policy tables (for new connections; established
     * ones never reach them). Under an identity register the sender is recognised by it.
     */
    private void selfTraffic() {
        TableId state = pipeline.id(PipelineSpec.CONNTRACK_STATE);
        List<FlowAction> commit = List.of(new FlowAction.GotoTable(pipeline.id(PipelineSpec.COMMIT)));
        Cookie cookie = Cookie.of(options.generation(), Cookie.Category.PIPELINE, 0);
        for (PodInfo pod : localPods) {
            for (Match from : sources.everyPacketOf(pod)) {
                for (Match to : SourceMatcher.everyPacketTo(pod)) {
                    if (!to.get(Field.ETH_TYPE).equals(from.get(Field.ETH_TYPE))) continue; // one family
                    acc.plain(state, SELF_PRIORITY, cookie, from.and(to), commit);
                }
            }
        }
    }

    /**
     * The DNS answers to the subjects of {@code domainNames} rules go to the controller before the pod
     * (docs/architecture.md, "Names learned from DNS"): per address of each such pod, a reply of a
     * connection the pod opened ({@code +est+rpl}, so conntrack vouches that the pod asked that server
     * and the policy let the question out) from UDP or TCP port 53 is paused ({@code controller(pause)})
     * and, once the controller resumes it, goes on as any established packet.
     */
    private void dnsInterception() {
        if (!options.interceptDns() || dnsSubjects.isEmpty()) return;
        TableId state = pipeline.id(PipelineSpec.CONNTRACK_STATE);
        List<FlowAction> hold =
                List.of(FlowAction.Pause.WHOLE, new FlowAction.GotoTable(pipeline.id(PipelineSpec.OUTPUT)));
        Cookie cookie = Cookie.of(options.generation(), Cookie.Category.PIPELINE, 0);
        int trk = PipelineFlows.CT_TRK;
        Match reply = PipelineFlows.ctState(
                PipelineFlows.CT_EST | PipelineFlows.CT_RPL | trk,
                PipelineFlows.CT_NEW | PipelineFlows.CT_EST | PipelineFlows.CT_RPL | trk);
        for (PodInfo pod : dnsSubjects.values()) {
            for (Match to : SourceMatcher.everyPacketTo(pod)) {
                for (int proto : new int[] {6, 17}) {
                    acc.plain(
                            state,
                            DNS_PRIORITY,
                            cookie,
                            to.with(Field.IP_PROTO, proto)
                                    .with(Field.TP_SRC, 53)
                                    .and(reply),
                            hold);
                }
            }
        }
    }

    private void adminTier(
            Tier tier, Direction dir, List<EffectiveAdminPolicy> ps, String tableName, Cookie.Category category) {
        List<Planned> planned = new ArrayList<>();
        Set<String> audited = new HashSet<>();
        for (EffectiveAdminPolicy p : ps) {
            List<PodInfo> subjects = memo.subjects(
                    p.subject(),
                    s -> localPods.stream()
                            .filter(pod -> selection.podMatches(pod, s.namespaceSelector(), s.podSelector()))
                            .toList());
            if (subjects.isEmpty()) continue;
            for (EffectiveRule r : p.rules(dir)) {
                planned.add(new Planned(r, subjects));
                reads.add(r);
                if (p.audited()) audited.add(r.ref().key());
                if (dir == Direction.EGRESS
                        && r.destinations().stream().anyMatch(d -> d instanceof Destination.DomainNames)) {
                    subjects.forEach(pod -> dnsSubjects.put(pod.key(), pod));
                }
            }
        }
        emit(
                planned,
                dir,
                tableName,
                category,
                rule -> options.audit()
                        .decorate(audited.contains(rule.ref().key()), verdict(tier, dir, rule.action())));
    }

    private void networkPolicyTier(Direction dir, String tableName) {
        TableId table = pipeline.id(tableName);
        List<Planned> planned = new ArrayList<>();
        Map<String, PodInfo> isolated = new LinkedHashMap<>();
        Map<String, List<PodInfo>> byNamespace = new HashMap<>();
        for (PodInfo pod : localPods)
            byNamespace.computeIfAbsent(pod.namespace(), k -> new ArrayList<>()).add(pod);
        for (EffectiveNetworkPolicy np : policies.networkPolicies()) {
            if (!np.isolates(dir)) continue;
            List<PodInfo> candidates = byNamespace.get(np.namespace());
            if (candidates == null) continue;
            List<PodInfo> selected = candidates.stream()
                    .filter(pod -> np.podSelector().matches(pod.labels()))
                    .toList();
            if (selected.isEmpty()) continue;
            selected.forEach(pod -> isolated.put(pod.key(), pod));
            for (EffectiveRule r : np.rules(dir)) {
                planned.add(new Planned(r, selected));
                reads.add(r);
            }
        }
        Cookie isolation = Cookie.of(options.generation(), Cookie.Category.NETWORK_POLICY, 0);
        dropAll(dir, isolated.values(), table, ISOLATION_PRIORITY, isolation);
        if (dir == Direction.INGRESS) fromOwnNode(isolated.values(), table, isolation);
        emit(
                planned,
                dir,
                tableName,
                Cookie.Category.NETWORK_POLICY,
                rule -> verdict(Tier.NETWORK_POLICY, dir, rule.action()));
    }

    /**
     * A pod isolated for ingress still accepts connections from its own node (the NetworkPolicy API:
     * kubelet probes): from each address of this node to each isolated pod, above the isolation drop.
     */
    private void fromOwnNode(Collection<PodInfo> isolated, TableId table, Cookie cookie) {
        if (isolated.isEmpty()) return;
        List<IpAddress> nodeIps = nodeAddresses();
        List<FlowAction> commit = List.of(new FlowAction.GotoTable(pipeline.id(PipelineSpec.COMMIT)));
        for (PodInfo pod : isolated) {
            for (IpAddress ip : pod.ips()) {
                for (IpAddress nodeIp : nodeIps) {
                    if (nodeIp.family() != ip.family()) continue;
                    acc.plain(
                            table,
                            ISOLATION_PRIORITY + 1,
                            cookie,
                            Match.source(Cidr.of(nodeIp)).and(Match.destination(Cidr.of(ip))),
                            commit);
                }
            }
        }
    }

    private void emit(
            List<Planned> planned,
            Direction dir,
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
            overflow(planned, dir, table, tableName, category, tooMany.getMessage());
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
            List<List<Match>> src = dir == Direction.EGRESS
                    ? subjectMatches.computeIfAbsent(p.sources(), this::subjectDimensions)
                    : subjectDestinations.computeIfAbsent(p.sources(), Compiler::destinationDimensions);
            RuleShapes.Shape shape = dir == Direction.EGRESS
                    ? shapes.learned(rule, shapes.shape(rule), p.sources(), learned)
                    : shapes.shape(rule);
            CompileMemo.Key key = new CompileMemo.Key(table, priority, cookie, verdict, rule, shape, src);
            CompileMemo.RuleOutput out = memo.lookup(keys.get(i), key);
            boolean reused = out != null && conjIds.claim(out.conjIds());
            if (!reused) {
                CompileMemo.RuleOutput before = memo.previous(keys.get(i));
                out = rules.compile(
                        rule,
                        key.shape(),
                        src,
                        dir == Direction.EGRESS
                                ? (f, within) -> sources.subject(podsWithin(p.sources(), within), f)
                                : (f, within) -> SourceMatcher.asDestinations(p.sources(), f, within),
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

    /** The pods among {@code pods} with an address in {@code within} (an egress segment of some pods only). */
    private static List<PodInfo> podsWithin(List<PodInfo> pods, Set<Cidr> within) {
        return pods.stream()
                .filter(pod -> pod.ips().stream().anyMatch(ip -> within.contains(Cidr.of(ip))))
                .toList();
    }

    /** The subject dimension of {@code pods} per address family, in {@link IpFamily#ordinal()} order. */
    private List<List<Match>> subjectDimensions(List<PodInfo> pods) {
        List<List<Match>> out = new ArrayList<>();
        for (IpFamily f : IpFamily.values()) out.add(List.copyOf(sources.subject(pods, f)));
        return List.copyOf(out);
    }

    /** The ingress subject dimension of {@code pods}: their addresses as destinations, per family. */
    private static List<List<Match>> destinationDimensions(List<PodInfo> pods) {
        List<List<Match>> out = new ArrayList<>();
        for (IpFamily f : IpFamily.values()) out.add(List.copyOf(SourceMatcher.asDestinations(pods, f, null)));
        return List.copyOf(out);
    }

    /** This node's addresses (status.addresses), for the NetworkPolicy exception of a pod's own node. */
    private List<IpAddress> nodeAddresses() {
        return snapshot.node(node).map(NodeInfo::addresses).orElse(List.of());
    }

    private void overflow(
            List<Planned> planned,
            Direction dir,
            TableId table,
            String tableName,
            Cookie.Category category,
            String why) {
        diags.add(Diagnostic.error(
                ObjectRef.cluster("Node", node),
                "",
                tableName + ": " + why + "; all " + dir.field() + " of the affected pods is denied (fail-closed)"));
        Cookie cookie = Cookie.of(options.generation(), category, 0);
        for (Planned p : planned) {
            dropAll(dir, p.sources(), table, OVERFLOW_PRIORITY, cookie);
        }
    }

    /**
     * Drop flows at {@code priority} for all IP traffic of those pods in direction {@code dir}: what
     * they send (per address, or per identity), or what is sent to them (per address).
     */
    private void dropAll(Direction dir, Collection<PodInfo> pods, TableId table, int priority, Cookie cookie) {
        for (PodInfo pod : pods) {
            List<Match> every = dir == Direction.EGRESS ? sources.everyPacketOf(pod) : SourceMatcher.everyPacketTo(pod);
            for (Match m : every) acc.plain(table, priority, cookie, m, List.of());
        }
    }

    /**
     * Where a rule's verdict sends the packet. Egress: an allow goes on to the ingress tables (the
     * destination's side is judged on its own); ingress: to the commit. A Pass in the Admin tier goes
     * to the NetworkPolicy table of its direction; in the Baseline tier it skips the rest of the last
     * tier, so the default, allow, decides (docs/semantics.md).
     */
    private List<FlowAction> verdict(Tier tier, Direction dir, Action action) {
        String allowed = dir == Direction.EGRESS ? PipelineSpec.ADMIN_INGRESS : PipelineSpec.COMMIT;
        switch (action) {
            case ALLOW:
                return List.of(new FlowAction.GotoTable(pipeline.id(allowed)));
            case DENY:
                return List.of();
            case PASS:
                if (tier == Tier.BASELINE) {
                    return List.of(new FlowAction.GotoTable(pipeline.id(allowed)));
                }
                if (tier != Tier.ADMIN) {
                    throw new IllegalStateException("Pass in the NetworkPolicy tier reached the compiler");
                }
                return List.of(new FlowAction.GotoTable(pipeline.id(
                        dir == Direction.EGRESS
                                ? PipelineSpec.NETWORK_POLICY_EGRESS
                                : PipelineSpec.NETWORK_POLICY_INGRESS)));
        }
        throw new AssertionError(action);
    }
}
