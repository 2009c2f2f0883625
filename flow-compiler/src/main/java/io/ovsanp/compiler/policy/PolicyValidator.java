package io.ovsanp.compiler.policy;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the API's validation limits (docs/semantics.md, "Validation limits") to everything a reader
 * produced and turns it into {@link EffectivePolicies}. Nothing is trusted: invalid input becomes a
 * diagnostic and is realised fail-closed — an invalid Allow rule matches nothing, an invalid Deny or
 * Pass rule denies everything its subjects send at that rule's precedence — and every other policy
 * keeps working. Pure and deterministic.
 */
public final class PolicyValidator {
    static final int MAX_PRIORITY = 1000;
    static final int MAX_RULES = 100;
    static final int MAX_RULE_NAME = 100;
    static final int MAX_PEERS = 100;
    static final int MAX_PORTS = 100;
    /** v1alpha2 ClusterNetworkPolicy: rules per direction, peers and protocols per rule. */
    static final int CNP_MAX_ITEMS = 25;

    static final int MAX_NETWORKS = 25;
    /** {@code domainNames} per peer (both API versions). */
    static final int MAX_DOMAIN_NAMES = 25;

    static final int MAX_CIDR_CHARS = 43;
    public static final String BANP_NAME = "default";

    /**
     * The results of a previous validation per policy object, by identity, for {@link
     * #validate(ClusterSnapshot, Memo)}. A policy's validation reads only that (immutable) policy, and
     * the controller's snapshots share the objects of unchanged policies, so an event revalidates only
     * what changed: 200 ANPs of 10 rules × 25 CIDRs took tens of ms per event otherwise
     * (docs/benchmarks.md, "Per-event pass"). Owned by whoever validates successive snapshots (the
     * loop's compile session); not thread-safe.
     */
    public static final class Memo {
        private Map<AdminPolicy, Validated<EffectiveAdminPolicy>> admin = new IdentityHashMap<>();
        private Map<NetworkPolicy, Validated<EffectiveNetworkPolicy>> networkPolicies = new IdentityHashMap<>();
    }

    private record Validated<T>(T effective, List<Diagnostic> diagnostics) {}

    /**
     * Admin tier (docs/decisions.md, "ClusterNetworkPolicy beside AdminNetworkPolicy"): by priority;
     * at equal priority an AdminNetworkPolicy before a ClusterNetworkPolicy; then name, then UID.
     */
    static final Comparator<EffectiveAdminPolicy> ADMIN_ORDER = Comparator.comparingInt(EffectiveAdminPolicy::priority)
            .thenComparing(e -> AdminPolicy.isClusterNetworkPolicy(e.ref()))
            .thenComparing(e -> e.ref().name())
            .thenComparing(e -> e.ref().uid());

    /**
     * Baseline tier: Baseline ClusterNetworkPolicies by priority, then name, then UID; then the BANP
     * {@code default}; then wrongly named BANPs (invalid) by name, then UID.
     */
    static final Comparator<EffectiveAdminPolicy> BASELINE_ORDER = Comparator.comparingInt(
                    PolicyValidator::baselineGroup)
            .thenComparingInt(EffectiveAdminPolicy::priority)
            .thenComparing(e -> e.ref().name())
            .thenComparing(e -> e.ref().uid());

    private static int baselineGroup(EffectiveAdminPolicy e) {
        if (AdminPolicy.isClusterNetworkPolicy(e.ref())) return 0;
        return e.ref().name().equals(BANP_NAME) ? 1 : 2;
    }

    private PolicyValidator() {}

    public static EffectivePolicies validate(ClusterSnapshot snapshot) {
        return validate(snapshot, new Memo());
    }

    /**
     * As {@link #validate(ClusterSnapshot)}, reusing the results {@code memo} holds for the same
     * policy objects, and leaving in it this snapshot's (the same result as without it, only cheaper).
     */
    public static EffectivePolicies validate(ClusterSnapshot snapshot, Memo memo) {
        Memo last = memo; // read below, replaced at the end
        Map<AdminPolicy, Validated<EffectiveAdminPolicy>> nextAdmin = new IdentityHashMap<>();
        Map<NetworkPolicy, Validated<EffectiveNetworkPolicy>> nextNps = new IdentityHashMap<>();
        List<Diagnostic> diags = new ArrayList<>(snapshot.loadDiagnostics());
        List<EffectiveAdminPolicy> admin = new ArrayList<>();
        List<EffectiveAdminPolicy> baseline = new ArrayList<>();
        for (AdminPolicy p : snapshot.adminPolicies()) {
            Validated<EffectiveAdminPolicy> v = last.admin.get(p);
            if (v == null) {
                List<Diagnostic> own = new ArrayList<>();
                v = new Validated<>(admin(p, own), List.copyOf(own));
            }
            nextAdmin.put(p, v);
            diags.addAll(v.diagnostics());
            EffectiveAdminPolicy e = v.effective();
            (p.tier() == Tier.ADMIN ? admin : baseline).add(e);
        }
        admin.sort(ADMIN_ORDER);
        baseline.sort(BASELINE_ORDER);
        reportEqualPriorityOverlaps(admin, snapshot, diags);
        reportEqualPriorityOverlaps(
                baseline.stream()
                        .filter(e -> AdminPolicy.isClusterNetworkPolicy(e.ref()))
                        .toList(),
                snapshot,
                diags);
        List<EffectiveNetworkPolicy> nps = new ArrayList<>();
        for (NetworkPolicy np : snapshot.networkPolicies()) {
            Validated<EffectiveNetworkPolicy> v = last.networkPolicies.get(np);
            if (v == null) {
                List<Diagnostic> own = new ArrayList<>();
                v = new Validated<>(NetworkPolicyValidator.validate(np, own), List.copyOf(own));
            }
            nextNps.put(np, v);
            diags.addAll(v.diagnostics());
            nps.add(v.effective());
        }
        memo.admin = nextAdmin;
        memo.networkPolicies = nextNps;
        diags.sort(Comparator.naturalOrder());
        return new EffectivePolicies(admin, nps, baseline, diags);
    }

    private static EffectiveAdminPolicy admin(AdminPolicy p, List<Diagnostic> diags) {
        ObjectRef ref = p.ref();
        boolean cnp = p.isClusterNetworkPolicy();
        int maxRules = cnp ? CNP_MAX_ITEMS : MAX_RULES;
        diags.addAll(p.readProblems());
        boolean policyInvalid = p.readProblems().stream().anyMatch(PolicyValidator::isPolicyLevel);
        int priority = p.priority();
        if ((p.tier() == Tier.ADMIN || cnp) && (priority < 0 || priority > MAX_PRIORITY)) {
            diags.add(Diagnostic.error(
                    ref,
                    "spec.priority",
                    "priority " + priority + " is outside 0.." + MAX_PRIORITY
                            + "; the policy is realised fail-closed and ordered first"
                            + (cnp && p.tier() == Tier.BASELINE ? " in the Baseline tier" : "")));
            policyInvalid = true;
            priority = 0;
        }
        if (p.tier() == Tier.BASELINE && !cnp && !ref.name().equals(BANP_NAME)) {
            diags.add(Diagnostic.error(
                    ref,
                    "metadata.name",
                    "a BaselineAdminNetworkPolicy must be named \"default\", not \"" + ref.name()
                            + "\"; the policy is realised fail-closed after the default one"));
            policyInvalid = true;
        }
        if (p.egress().size() > maxRules) {
            diags.add(Diagnostic.error(ref, "spec.egress", p.egress().size() + " egress rules; at most " + maxRules));
            policyInvalid = true;
        }
        if (p.ingress().size() > maxRules) {
            diags.add(
                    Diagnostic.error(ref, "spec.ingress", p.ingress().size() + " ingress rules; at most " + maxRules));
            policyInvalid = true;
        }
        if (policyInvalid && !(p.egress().isEmpty() && p.ingress().isEmpty())) {
            diags.add(Diagnostic.note(
                    ref,
                    "spec",
                    "policy is invalid: its " + Action.ALLOW.apiName(ref) + " rules match nothing and its Deny/Pass"
                            + " rules deny all traffic of its subjects in their direction"));
        }
        List<EffectiveRule> egress = rules(p, Direction.EGRESS, policyInvalid, diags);
        List<EffectiveRule> ingress = rules(p, Direction.INGRESS, policyInvalid, diags);
        return new EffectiveAdminPolicy(ref, p.tier(), priority, p.subject(), egress, ingress, p.audited());
    }

    private static List<EffectiveRule> rules(
            AdminPolicy p, Direction dir, boolean policyInvalid, List<Diagnostic> diags) {
        ObjectRef ref = p.ref();
        String field = "spec." + dir.field();
        // The reader could not read the rule list at all: its rules are unknown, so the policy denies
        // all traffic of its subjects in that direction (fail-closed) instead of silently doing nothing.
        boolean unreadable = p.readProblems().stream()
                .anyMatch(d -> d.severity() == Severity.ERROR
                        && ((dir == Direction.EGRESS && d.path().equals("spec"))
                                || d.path().equals(field)));
        List<EffectiveRule> rules = new ArrayList<>();
        if (unreadable && p.rules(dir).isEmpty()) {
            diags.add(Diagnostic.note(
                    ref,
                    field,
                    dir.field() + " rules could not be read: all " + dir.field() + " of the"
                            + " policy's subjects is denied (fail-closed)"));
            rules.add(EffectiveRule.denyAll(new RuleRef(p.tier(), ref, 0, "", dir)));
        }
        for (Rule r : p.rules(dir)) {
            RuleRef rr = new RuleRef(p.tier(), ref, r.index(), r.name(), dir);
            AdminRuleValidator.validate(rr, r, policyInvalid, p.readProblems(), diags)
                    .ifPresent(rules::add);
        }
        return rules;
    }

    /** An error about the policy as a whole, not about one rule. */
    static boolean isPolicyLevel(Diagnostic d) {
        return d.severity() == Severity.ERROR
                && !d.path().startsWith("spec.egress[")
                && !d.path().startsWith("spec.ingress[");
    }

    private static void reportEqualPriorityOverlaps(
            List<EffectiveAdminPolicy> admin, ClusterSnapshot snapshot, List<Diagnostic> diags) {
        Selection selection = null; // reads every pod: only when two policies share a priority
        for (int i = 0; i < admin.size(); i++) {
            EffectiveAdminPolicy a = admin.get(i);
            if (a.rules().isEmpty() && a.ingress().isEmpty()) continue;
            Set<String> aPods = null;
            for (int j = i + 1; j < admin.size() && admin.get(j).priority() == a.priority(); j++) {
                EffectiveAdminPolicy b = admin.get(j);
                if (b.rules().isEmpty() && b.ingress().isEmpty()) continue;
                if (selection == null) selection = new Selection(snapshot);
                if (aPods == null) {
                    aPods = new HashSet<>();
                    for (PodInfo pod : selection.subjects(a.subject())) aPods.add(pod.key());
                }
                for (PodInfo pod : selection.subjects(b.subject())) {
                    if (aPods.contains(pod.key())) {
                        boolean byKind = AdminPolicy.isClusterNetworkPolicy(a.ref())
                                != AdminPolicy.isClusterNetworkPolicy(b.ref());
                        String tail = " and both select pod " + pod.key()
                                + "; the API leaves their order undefined: ovs-anp evaluates "
                                + a.ref().display()
                                + (byKind
                                        ? " first (an AdminNetworkPolicy before a ClusterNetworkPolicy)"
                                        : " first (by name, then UID)");
                        String head = "same priority " + a.priority() + " as ";
                        diags.add(Diagnostic.warning(
                                a.ref(), "spec.priority", head + b.ref().display() + tail));
                        diags.add(Diagnostic.warning(
                                b.ref(), "spec.priority", head + a.ref().display() + tail));
                        break;
                    }
                }
            }
        }
    }
}
