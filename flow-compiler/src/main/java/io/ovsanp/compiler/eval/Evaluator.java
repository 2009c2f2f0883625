package io.ovsanp.compiler.eval;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.compiler.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reference evaluator: the egress verdict for one packet, straight from docs/semantics.md. ANP tier
 * (policies in the given precedence order, rules in order, first match decides, Pass leaves the
 * tier), then NetworkPolicy isolation (an isolated pod is allowed only by a rule of an isolating
 * policy, and BANP is then not consulted), then the Baseline tier (a Pass there leaves it to the
 * default), then allow.
 *
 * <p>The source is the non-host-network pod owning the source IP. Pod IPs are assumed unique; if
 * several pods claim one, the first in snapshot order is the source (the trace says so).
 */
public final class Evaluator {
    private final EffectivePolicies policies;
    private final RuleMatcher matcher;

    public Evaluator(ClusterSnapshot snapshot, EffectivePolicies policies) {
        this(snapshot, policies, ServiceVips.NONE);
    }

    /**
     * With {@link ServiceVips#PRE_DNAT}, a packet to a mapped Service's ClusterIP and port also
     * matches the rules that cover the Service's endpoints (see {@link
     * RuleMatcher#matchesThroughServiceVip}); the verdict then names the mapping.
     */
    public Evaluator(ClusterSnapshot snapshot, EffectivePolicies policies, ServiceVips serviceVips) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.matcher = new RuleMatcher(Objects.requireNonNull(snapshot, "snapshot"), serviceVips);
    }

    public RuleMatcher matcher() {
        return matcher;
    }

    public Verdict evaluate(Packet packet) {
        List<String> trace = new ArrayList<>();
        trace.add("packet " + packet);
        List<PodInfo> owners = matcher.podsWithIp(packet.src());
        if (owners.isEmpty()) {
            trace.add("source " + packet.src() + " is no pod (node, host-network pod or unknown): not policed");
            return Verdict.notPoliced(trace);
        }
        PodInfo pod = owners.get(0);
        trace.add("source is pod " + pod.key()
                + (owners.size() > 1 ? " (first of " + owners.size() + " pods with this IP)" : ""));

        Optional<RuleRef> passedBy = Optional.empty();
        for (EffectiveAdminPolicy anp : policies.admin()) {
            Optional<Hit> hit = firstMatch(anp, pod, packet, trace);
            if (hit.isEmpty()) {
                continue;
            }
            EffectiveRule rule = hit.get().rule();
            if (rule.action() == Action.PASS) {
                trace.add("Pass: skip the remaining AdminNetworkPolicy rules");
                passedBy = Optional.of(rule.ref());
                break;
            }
            return Verdict.byRule(Tier.ADMIN, rule, hit.get().via(), passedBy, trace);
        }

        Optional<Verdict> np = networkPolicyTier(pod, packet, passedBy, trace);
        if (np.isPresent()) {
            return np.get();
        }

        for (EffectiveAdminPolicy banp : policies.baseline()) {
            Optional<Hit> hit = firstMatch(banp, pod, packet, trace);
            if (hit.isEmpty()) {
                continue;
            }
            EffectiveRule rule = hit.get().rule();
            if (rule.action() == Action.PASS) {
                // A Baseline ClusterNetworkPolicy's Pass skips the rest of the Baseline tier, and no
                // tier follows it: the default decides.
                trace.add("Pass: skip the remaining Baseline tier rules; the default (allow) decides");
                return Verdict.noRuleMatched(Optional.of(rule.ref()), trace);
            }
            return Verdict.byRule(Tier.BASELINE, rule, hit.get().via(), passedBy, trace);
        }
        trace.add("no rule matched: allowed");
        return Verdict.noRuleMatched(passedBy, trace);
    }

    /** A matching rule and, when it matched through a Service's ClusterIP, how. */
    private record Hit(EffectiveRule rule, Optional<String> via) {}

    /**
     * The first rule of {@code policy} that matches, if the pod is a subject; never a Pass of a BANP
     * (v1alpha1 has none; the validator has made such a rule fail-closed already).
     */
    private Optional<Hit> firstMatch(EffectiveAdminPolicy policy, PodInfo pod, Packet packet, List<String> trace) {
        if (!matcher.isSubject(policy.subject(), pod)) {
            trace.add(policy.ref().display() + ": " + pod.key() + " is not a subject");
            return Optional.empty();
        }
        for (EffectiveRule rule : policy.rules()) {
            Optional<Hit> hit = ruleMatches(rule, packet, trace);
            if (hit.isPresent()) {
                if (policy.tier() == Tier.BASELINE
                        && rule.action() == Action.PASS
                        && !AdminPolicy.isClusterNetworkPolicy(policy.ref())) {
                    // BANP has no Pass action; defensively it counts as no match.
                    trace.add("Pass is not a baseline action: treated as no match");
                    continue;
                }
                return hit;
            }
        }
        return Optional.empty();
    }

    /** Empty when the pod is not isolated for egress: evaluation goes on to the BANP tier. */
    private Optional<Verdict> networkPolicyTier(
            PodInfo pod, Packet packet, Optional<RuleRef> passedBy, List<String> trace) {
        List<EffectiveNetworkPolicy> isolating = new ArrayList<>();
        for (EffectiveNetworkPolicy np : policies.networkPolicies()) {
            if (matcher.isolates(np, pod)) {
                isolating.add(np);
            }
        }
        if (isolating.isEmpty()) {
            trace.add("NetworkPolicy: " + pod.key() + " is not isolated for egress");
            return Optional.empty();
        }
        for (EffectiveNetworkPolicy np : isolating) {
            for (EffectiveRule rule : np.rules()) {
                if (rule.action() != Action.ALLOW) {
                    // NetworkPolicy rules only allow; anything else is not ours to invent.
                    trace.add(rule.ref().display() + ": " + rule.action().apiName() + " is ignored in NetworkPolicy");
                    continue;
                }
                Optional<Hit> hit = ruleMatches(rule, packet, trace);
                if (hit.isPresent()) {
                    return Optional.of(
                            Verdict.byRule(Tier.NETWORK_POLICY, rule, hit.get().via(), passedBy, trace));
                }
            }
        }
        List<ObjectRef> refs =
                isolating.stream().map(EffectiveNetworkPolicy::ref).toList();
        trace.add("NetworkPolicy: " + pod.key() + " is isolated and no rule allows it: dropped, BANP not consulted");
        return Optional.of(Verdict.isolated(pod.key(), refs, passedBy, trace));
    }

    private Optional<Hit> ruleMatches(EffectiveRule rule, Packet packet, List<String> trace) {
        String label =
                rule.ref().display() + " (" + rule.action().apiName(rule.ref().policy()) + ")";
        String miss = null;
        if (!matcher.destinationMatches(rule, packet.dst())) {
            miss = "destination does not match";
        } else if (!matcher.portMatches(rule, packet)) {
            miss = "port does not match";
        }
        if (miss == null) {
            trace.add(label + ": matches" + (rule.failClosed() ? " (fail-closed)" : ""));
            return Optional.of(new Hit(rule, Optional.empty()));
        }
        Optional<RuleMatcher.ServiceVipMatch> vip = matcher.matchesThroughServiceVip(rule, packet);
        if (vip.isPresent()) {
            trace.add(label + ": matches via " + vip.get().detail());
            return Optional.of(new Hit(rule, Optional.of(vip.get().describe())));
        }
        trace.add(label + ": " + miss);
        return Optional.empty();
    }
}
