package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.RuleRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Which rule each cookie of one node's compile realises. A rule's flows carry the cookie of its rule
 * id (docs/architecture.md, "Ownership, restart and audit": bits 31..0), which the compile's {@link
 * Allocation} gives the rule's key; so a compile numbered as a switch's flows are (the loop's, or
 * {@code SwitchNumbering}'s for the one-shot commands) names the rule of every flow that switch holds.
 * Cookies of rule id 0 (pipeline, NetworkPolicy isolation, overflow drops, megaflow guard) realise no
 * rule.
 */
public final class RuleCookies {
    /** A rule as compiled on the node: its identity, verdict and place in the pipeline. */
    public record Rule(RuleRef ref, Action action, String table, int priority, long ruleId) {}

    private final Map<Long, Rule> byId;

    private RuleCookies(Map<Long, Rule> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    public static RuleCookies of(CompileResult result) {
        Map<Long, Rule> byId = new TreeMap<>();
        Map<String, Long> ids = result.allocation().ruleIds();
        for (RuleStats s : result.stats().rules()) {
            Long id = ids.get(s.rule().key());
            if (id == null) {
                throw new IllegalStateException("rule " + s.rule() + " compiled without a rule id");
            }
            byId.put(id, new Rule(s.rule(), s.action(), s.table(), s.priority(), id));
        }
        return new RuleCookies(byId);
    }

    /** The rule a flow with this cookie realises; empty for others' cookies and rule id 0. */
    public Optional<Rule> rule(Cookie cookie) {
        if (!isRuleCookie(cookie)) return Optional.empty();
        return Optional.ofNullable(byId.get(cookie.ruleId()));
    }

    /** Every rule compiled on the node, by rule id. */
    public List<Rule> rules() {
        return List.copyOf(byId.values());
    }

    /**
     * The rules {@code policy} and {@code index} select: {@code policy} is a policy's name, {@code
     * namespace/name} or {@code Kind/[namespace/]name}; {@code index} (when present) the rule's index
     * in {@code spec.egress} or {@code spec.ingress}.
     */
    public List<Rule> select(String policy, OptionalInt index) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : byId.values()) {
            if (namesPolicy(r.ref(), policy)
                    && (index.isEmpty() || index.getAsInt() == r.ref().index())) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean namesPolicy(RuleRef ref, String policy) {
        String ns = ref.policy().namespace();
        return policy.equals(ref.policy().name())
                || (!ns.isEmpty() && policy.equals(ns + "/" + ref.policy().name()))
                || policy.equals(ref.policy().display());
    }

    /** An ovs-anp cookie of a rule's flows: a rule category (Admin, NetworkPolicy, Baseline) and a rule id. */
    public static boolean isRuleCookie(Cookie cookie) {
        int c = cookie.categoryCode();
        return cookie.isOurs()
                && cookie.ruleId() != 0
                && (c == Cookie.Category.ADMIN.code
                        || c == Cookie.Category.NETWORK_POLICY.code
                        || c == Cookie.Category.BASELINE.code);
    }

    /**
     * Whether {@code f}'s counters are the packets its rule decided: a plain flow or a {@code conj_id}
     * flow carries the verdict; a clause flow (only {@code conjunction} actions) decides nothing, and OVS
     * never credits it (docs/decisions.md, "Rule counters").
     */
    public static boolean decides(Flow f) {
        return f.actions().stream().noneMatch(a -> a instanceof FlowAction.Conjunction);
    }
}
