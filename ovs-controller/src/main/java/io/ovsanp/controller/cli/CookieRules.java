package io.ovsanp.controller.cli;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.RuleRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which rule a flow's cookie belongs to. Cookies are rule-owned (docs/architecture.md, "Ownership,
 * restart and audit"): bits 31..0 are the rule id the {@link Allocation} gave the rule's key, so the
 * allocation a compile numbered as the switch is (the loop's recovery) maps an installed flow back to
 * its rule. Pipeline, isolation and overflow flows carry rule id 0 and have no rule.
 */
final class CookieRules {
    private final Map<Long, EffectiveRule> byRuleId;

    private CookieRules(Map<Long, EffectiveRule> byRuleId) {
        this.byRuleId = byRuleId;
    }

    static CookieRules of(EffectivePolicies policies, Allocation allocation) {
        Map<String, EffectiveRule> byKey = new HashMap<>();
        for (Direction d : Direction.values()) {
            for (EffectiveAdminPolicy p : policies.admin()) add(byKey, p.rules(d));
            for (EffectiveNetworkPolicy p : policies.networkPolicies()) add(byKey, p.rules(d));
            for (EffectiveAdminPolicy p : policies.baseline()) add(byKey, p.rules(d));
        }
        Map<Long, EffectiveRule> byId = new HashMap<>();
        allocation.ruleIds().forEach((key, id) -> {
            EffectiveRule rule = byKey.get(key);
            if (rule != null) byId.put(id, rule);
        });
        return new CookieRules(byId);
    }

    private static void add(Map<String, EffectiveRule> byKey, List<EffectiveRule> rules) {
        for (EffectiveRule r : rules) byKey.put(r.ref().key(), r);
    }

    /** The rule owning {@code cookie}: empty for another owner's flow and for ovs-anp's rule-less flows. */
    Optional<EffectiveRule> rule(long cookie) {
        Cookie c = new Cookie(cookie);
        if (!c.isOurs() || c.ruleId() == 0) return Optional.empty();
        return Optional.ofNullable(byRuleId.get(c.ruleId()));
    }

    /** The identity of the rule owning {@code cookie}, as {@link #rule}. */
    Optional<RuleRef> ref(long cookie) {
        return rule(cookie).map(EffectiveRule::ref);
    }

    /** What the cookie says when no rule owns it: the category's name, another owner, or an unknown id. */
    static String describe(long cookie) {
        Cookie c = new Cookie(cookie);
        if (!c.isOurs()) return cookie == 0 ? "not ovs-anp's flow" : "not ovs-anp's flow (cookie " + c.hex() + ")";
        for (Cookie.Category cat : Cookie.Category.values()) {
            if (cat.code == c.categoryCode()) {
                String what = switch (cat) {
                    case PIPELINE -> "pipeline";
                    case MEGAFLOW_GUARD -> "megaflow guard";
                    case ADMIN, NETWORK_POLICY, BASELINE ->
                        c.ruleId() == 0
                                ? "isolation or overflow drop"
                                : "rule id " + c.ruleId() + ", not a rule of the snapshot";
                };
                return what;
            }
        }
        return "ovs-anp cookie of unknown category " + c.categoryCode();
    }
}
