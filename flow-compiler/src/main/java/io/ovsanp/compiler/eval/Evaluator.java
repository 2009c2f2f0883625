package io.ovsanp.compiler.eval;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.dns.ResolverState;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Direction;
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
 * The reference evaluator, straight from docs/semantics.md: the verdict of each side of one connection
 * and their combination. Each side is evaluated on its own: Admin tier (policies in the given
 * precedence order, rules in order, first match decides, Pass leaves the tier), then NetworkPolicy
 * isolation (an isolated pod is allowed only by a rule of an isolating policy, and the Baseline tier is
 * then not consulted), then the Baseline tier (a Pass there leaves it to the default), then allow. The
 * egress side's subject is the pod owning the source address, the ingress side's the pod owning the
 * destination address; a side whose address is no pod (node, host-network pod, external) is not
 * policed. A pod reaching its own address is not subject to policy on either side.
 *
 * <p>Pod IPs are assumed unique; if several pods claim one, the first in snapshot order is the pod (the
 * trace says so).
 */
public final class Evaluator {
    private final EffectivePolicies policies;
    private final RuleMatcher matcher;

    public Evaluator(ClusterSnapshot snapshot, EffectivePolicies policies) {
        this(snapshot, policies, ServiceVips.NONE);
    }

    /**
     * With {@link ServiceVips#PRE_DNAT}, a packet to a mapped Service's ClusterIP and port also
     * matches the egress rules that cover the Service's endpoints (see {@link
     * RuleMatcher#matchesThroughServiceVip}); the verdict then names the mapping.
     */
    public Evaluator(ClusterSnapshot snapshot, EffectivePolicies policies, ServiceVips serviceVips) {
        this(snapshot, policies, serviceVips, ResolverState.EMPTY);
    }

    /** {@code resolved}: what names resolved to for every pod, which {@code domainNames} peers match (docs/semantics.md). */
    public Evaluator(
            ClusterSnapshot snapshot, EffectivePolicies policies, ServiceVips serviceVips, ResolverState resolved) {
        this(snapshot, policies, serviceVips, ResolverStates.everyPod(resolved));
    }

    /** {@code resolved}: what each pod resolved, which its egress rules' {@code domainNames} peers match. */
    public Evaluator(
            ClusterSnapshot snapshot, EffectivePolicies policies, ServiceVips serviceVips, ResolverStates resolved) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.matcher = new RuleMatcher(Objects.requireNonNull(snapshot, "snapshot"), serviceVips, resolved);
    }

    public RuleMatcher matcher() {
        return matcher;
    }

    /** The egress verdict: what the source pod's policies say (judged at the source's node). */
    public Verdict evaluate(Packet packet) {
        return evaluate(packet, Direction.EGRESS);
    }

    /** The ingress verdict: what the destination pod's policies say (judged at the destination's node). */
    public Verdict evaluateIngress(Packet packet) {
        return evaluate(packet, Direction.INGRESS);
    }

    /** Both sides; the connection is allowed only when both allow it. */
    public ConnectionVerdict evaluateConnection(Packet packet) {
        return new ConnectionVerdict(evaluate(packet, Direction.EGRESS), evaluate(packet, Direction.INGRESS));
    }

    public Verdict evaluate(Packet packet, Direction dir) {
        return evaluate(packet, dir, policies);
    }

    /**
     * As {@link #evaluate(Packet, Direction)} against {@code among}: this evaluator's policies, in
     * their order, with rules left out that cannot match {@code packet} (and Admin or Baseline
     * policies left with no rule dropped); every NetworkPolicy stays, since isolation does not depend
     * on its rules. The verdict is the same; only the work and the trace shrink. {@code ovs-anp
     * verify} evaluates millions of packets this way (docs/decisions.md, "verify: atomic predicates").
     */
    public Verdict evaluate(Packet packet, Direction dir, EffectivePolicies among) {
        boolean egress = dir == Direction.EGRESS;
        String side = egress ? "source" : "destination";
        List<String> trace = new ArrayList<>();
        trace.add("packet " + packet);
        if (packet.src().equals(packet.dst())) {
            trace.add("source and destination are one address: a pod reaching itself is not policed");
            return Verdict.notPoliced(Verdict.SELF, trace);
        }
        IpAddress own = egress ? packet.src() : packet.dst();
        List<PodInfo> owners = matcher.podsWithIp(own);
        if (owners.isEmpty()) {
            trace.add(side + " " + own + " is no pod (node, host-network pod or unknown): not policed");
            return Verdict.notPoliced(egress ? Verdict.NOT_POLICED : Verdict.NOT_POLICED_INGRESS, trace);
        }
        PodInfo pod = owners.get(0);
        trace.add(side + " is pod " + pod.key()
                + (owners.size() > 1 ? " (first of " + owners.size() + " pods with this IP)" : ""));

        Optional<RuleRef> passedBy = Optional.empty();
        for (EffectiveAdminPolicy anp : among.admin()) {
            Optional<Hit> hit = firstMatch(anp, dir, pod, packet, trace);
            if (hit.isEmpty()) {
                continue;
            }
            EffectiveRule rule = hit.get().rule();
            if (rule.action() == Action.PASS) {
                trace.add("Pass: skip the remaining Admin tier rules");
                passedBy = Optional.of(rule.ref());
                break;
            }
            return Verdict.byRule(Tier.ADMIN, rule, hit.get().via(), passedBy, trace);
        }

        Optional<Verdict> np = networkPolicyTier(among, dir, pod, packet, passedBy, trace);
        if (np.isPresent()) {
            return np.get();
        }

        for (EffectiveAdminPolicy banp : among.baseline()) {
            Optional<Hit> hit = firstMatch(banp, dir, pod, packet, trace);
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
     * The first rule of {@code policy} in direction {@code dir} that matches, if the pod is a subject;
     * never a Pass of a BANP (v1alpha1 has none; the validator has made such a rule fail-closed already).
     */
    private Optional<Hit> firstMatch(
            EffectiveAdminPolicy policy, Direction dir, PodInfo pod, Packet packet, List<String> trace) {
        List<EffectiveRule> rules = policy.rules(dir);
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        if (!matcher.isSubject(policy.subject(), pod)) {
            trace.add(policy.ref().display() + ": " + pod.key() + " is not a subject");
            return Optional.empty();
        }
        for (EffectiveRule rule : rules) {
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

    /** Empty when the pod is not isolated in direction {@code dir}: evaluation goes on to the Baseline tier. */
    private Optional<Verdict> networkPolicyTier(
            EffectivePolicies among,
            Direction dir,
            PodInfo pod,
            Packet packet,
            Optional<RuleRef> passedBy,
            List<String> trace) {
        List<EffectiveNetworkPolicy> isolating = new ArrayList<>();
        for (EffectiveNetworkPolicy np : among.networkPolicies()) {
            if (matcher.isolates(np, pod, dir)) {
                isolating.add(np);
            }
        }
        if (isolating.isEmpty()) {
            trace.add("NetworkPolicy: " + pod.key() + " is not isolated for " + dir.field());
            return Optional.empty();
        }
        if (dir == Direction.INGRESS && matcher.nodeAddresses(pod.nodeName()).contains(packet.src())) {
            trace.add("NetworkPolicy: " + pod.key() + " is isolated for ingress; connections from its own node "
                    + pod.nodeName() + " are always allowed");
            return Optional.of(Verdict.fromOwnNode(pod.key(), pod.nodeName(), passedBy, trace));
        }
        for (EffectiveNetworkPolicy np : isolating) {
            for (EffectiveRule rule : np.rules(dir)) {
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
        trace.add("NetworkPolicy: " + pod.key() + " is isolated for " + dir.field()
                + " and no rule allows it: dropped, the Baseline tier is not consulted");
        return Optional.of(Verdict.isolated(dir, pod.key(), refs, passedBy, trace));
    }

    private Optional<Hit> ruleMatches(EffectiveRule rule, Packet packet, List<String> trace) {
        String label =
                rule.ref().display() + " (" + rule.action().apiName(rule.ref().policy()) + ")";
        String miss = null;
        if (!matcher.destinationMatches(rule, RuleMatcher.peer(rule, packet), RuleMatcher.subject(rule, packet))) {
            miss = rule.ref().ingress() ? "source does not match" : "destination does not match";
        } else if (!matcher.portMatches(rule, packet)) {
            miss = "port does not match";
        }
        if (miss == null) {
            trace.add(label + ": matches" + (rule.failClosed() ? " (fail-closed)" : ""));
            return Optional.of(new Hit(rule, Optional.empty()));
        }
        if (!rule.ref().ingress()) {
            Optional<RuleMatcher.ServiceVipMatch> vip = matcher.matchesThroughServiceVip(rule, packet);
            if (vip.isPresent()) {
                trace.add(label + ": matches via " + vip.get().detail());
                return Optional.of(new Hit(rule, Optional.of(vip.get().describe())));
            }
        }
        trace.add(label + ": " + miss);
        return Optional.empty();
    }
}
