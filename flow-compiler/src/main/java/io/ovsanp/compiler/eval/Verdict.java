package io.ovsanp.compiler.eval;

import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.compiler.policy.Tier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The decision for one packet and why. {@code rule} and {@code action} are present when a rule
 * decided (never a Pass: a Pass only moves evaluation on, and is kept in {@code passedBy});
 * {@code tier} is present when a tier decided; {@code isolatingPolicies} lists the NetworkPolicies
 * that isolate the source pod when the verdict is a NetworkPolicy-isolation drop. {@code trace} is the
 * steps taken, for {@code explain}. {@code serviceVip} is present when the deciding rule matched a
 * Service ClusterIP through its endpoints (pre-DNAT mode) and says which.
 */
public record Verdict(
        boolean allowed,
        Optional<Tier> tier,
        Optional<RuleRef> rule,
        Optional<Action> action,
        boolean failClosed,
        String reason,
        List<ObjectRef> isolatingPolicies,
        Optional<RuleRef> passedBy,
        List<String> trace,
        Optional<String> serviceVip) {

    public static final String NOT_POLICED = "source is not a pod subject to policy";
    public static final String NOT_POLICED_INGRESS = "destination is not a pod: no ingress side";
    public static final String SELF = "a pod reaching its own address is not subject to policy";
    public static final String NO_RULE_MATCHED = "no rule matched";

    public Verdict {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(passedBy, "passedBy");
        Objects.requireNonNull(serviceVip, "serviceVip");
        isolatingPolicies = List.copyOf(isolatingPolicies);
        trace = List.copyOf(trace);
        if (rule.isPresent() != action.isPresent()) {
            throw new IllegalArgumentException("rule and action go together");
        }
        if (action.isPresent() && action.get() == Action.PASS) {
            throw new IllegalArgumentException("a Pass never decides");
        }
        if (action.isPresent() && allowed != (action.get() == Action.ALLOW)) {
            throw new IllegalArgumentException("allowed contradicts " + action.get());
        }
        if (serviceVip.isPresent() && rule.isEmpty()) {
            throw new IllegalArgumentException("only a rule matches through a Service ClusterIP");
        }
    }

    /** A verdict that did not come through a Service ClusterIP. */
    public Verdict(
            boolean allowed,
            Optional<Tier> tier,
            Optional<RuleRef> rule,
            Optional<Action> action,
            boolean failClosed,
            String reason,
            List<ObjectRef> isolatingPolicies,
            Optional<RuleRef> passedBy,
            List<String> trace) {
        this(allowed, tier, rule, action, failClosed, reason, isolatingPolicies, passedBy, trace, Optional.empty());
    }

    /** Decided by the first matching rule of {@code tier}. */
    static Verdict byRule(
            Tier tier,
            EffectiveRule rule,
            Optional<String> serviceVip,
            Optional<RuleRef> passedBy,
            List<String> trace) {
        boolean allowed = rule.action() == Action.ALLOW;
        String reason = rule.failClosed()
                ? "fail-closed rule (invalid input): denies everything its subjects send"
                : "first matching rule";
        return new Verdict(
                allowed,
                Optional.of(tier),
                Optional.of(rule.ref()),
                Optional.of(rule.action()),
                rule.failClosed(),
                reason,
                List.of(),
                passedBy,
                trace,
                serviceVip);
    }

    /** Traffic from nodes, host-network pods and unknown IPs is not policed at egress. */
    static Verdict notPoliced(List<String> trace) {
        return notPoliced(NOT_POLICED, trace);
    }

    /** Not policed, for {@code reason}: {@link #NOT_POLICED}, {@link #NOT_POLICED_INGRESS}, {@link #SELF}. */
    static Verdict notPoliced(String reason, List<String> trace) {
        return new Verdict(
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                reason,
                List.of(),
                Optional.empty(),
                trace);
    }

    static Verdict noRuleMatched(Optional<RuleRef> passedBy, List<String> trace) {
        return new Verdict(
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                NO_RULE_MATCHED,
                List.of(),
                passedBy,
                trace);
    }

    /** The pod is isolated for egress and no rule of the isolating NetworkPolicies allows the packet. */
    static Verdict isolated(String podKey, List<ObjectRef> isolating, Optional<RuleRef> passedBy, List<String> trace) {
        return isolated(Direction.EGRESS, podKey, isolating, passedBy, trace);
    }

    /** The pod is isolated in direction {@code dir} and no rule of the isolating NetworkPolicies allows the packet. */
    static Verdict isolated(
            Direction dir, String podKey, List<ObjectRef> isolating, Optional<RuleRef> passedBy, List<String> trace) {
        String who = isolating.stream().map(ObjectRef::display).collect(Collectors.joining(", "));
        String reason = "NetworkPolicy isolation (" + who + (isolating.size() == 1 ? " selects " : " select ") + podKey
                + "; no " + dir.field() + " rule allows it)";
        return new Verdict(
                false,
                Optional.of(Tier.NETWORK_POLICY),
                Optional.empty(),
                Optional.empty(),
                false,
                reason,
                isolating,
                passedBy,
                trace);
    }

    /** The pod is isolated for ingress, and the connection comes from its own node: NetworkPolicy allows it. */
    static Verdict fromOwnNode(String podKey, String node, Optional<RuleRef> passedBy, List<String> trace) {
        return new Verdict(
                true,
                Optional.of(Tier.NETWORK_POLICY),
                Optional.empty(),
                Optional.empty(),
                false,
                "from " + podKey + "'s own node " + node + " (NetworkPolicy always allows it)",
                List.of(),
                passedBy,
                trace);
    }

    /**
     * One line whose first word is {@code ALLOW} or {@code DENY}: {@code DENY by
     * AdminNetworkPolicy/deny-internet egress[0] "block" (Deny)}, {@code ALLOW: no rule matched}; a
     * rule that matched a ClusterIP through its endpoints adds {@code via pre-DNAT ClusterIP ...}; a
     * Pass on the way ends it with {@code ; passed by AdminNetworkPolicy/x egress[1]}.
     */
    public String describe() {
        StringBuilder b = new StringBuilder(allowed ? "ALLOW" : "DENY");
        if (rule.isPresent()) {
            b.append(" by ")
                    .append(rule.get().display())
                    .append(" (")
                    .append(action.get().apiName(rule.get().policy()));
            b.append(failClosed ? ", fail-closed)" : ")");
            serviceVip.ifPresent(v -> b.append(" via ").append(v));
        } else {
            b.append(": ").append(reason);
        }
        passedBy.ifPresent(p -> b.append("; passed by ").append(p.display()));
        return b.toString();
    }

    /** {@link #describe()} followed by the trace, one indented step per line. */
    public String explain() {
        StringBuilder b = new StringBuilder(describe());
        for (String step : trace) {
            b.append("\n  ").append(step);
        }
        return b.toString();
    }
}
