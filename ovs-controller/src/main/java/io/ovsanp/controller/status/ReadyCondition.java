package io.ovsanp.controller.status;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a policy's {@code Ready} condition says: {@code True} (reason {@code Realised}) when every part
 * of the policy is enforced, it has no invalid rule and no node it applies to failed to realise its
 * flows; otherwise {@code False} with the most serious reason: {@code NotEnforced} (a valid part that
 * ovs-anp does not realise, e.g. ingress rules: traffic the policy means to stop may pass), then
 * {@code InvalidRules} (errors in the policy, realised fail-closed), then {@code RealisationFailed}
 * (only node failures). The message names every unenforced part and every invalid field (by rule name
 * where the rule has one) and every failed node with its reason, cut at metav1.Condition's limit.
 */
final class ReadyCondition {
    static final String READY = "Ready";
    static final String REASON_REALISED = "Realised";
    static final String REASON_INVALID = "InvalidRules";
    static final String REASON_FAILED = "RealisationFailed";
    static final String REASON_NOT_ENFORCED = "NotEnforced";
    /** Agent mode's True: every rule valid and enforced; the nodes report their failures as Events. */
    static final String REASON_VALID = "RulesValid";

    static final String MESSAGE_VALID = "all rules valid and enforced by ovs-anp; each node's agent reports a"
            + " failure to realise them on its node as a RealisationFailed event on this policy";
    /** metav1.Condition's limit on {@code message}. */
    static final int MAX_MESSAGE = 32768;

    private static final java.util.regex.Pattern RULE_PATH =
            java.util.regex.Pattern.compile("^spec\\.(egress|ingress)\\[(\\d+)]");

    private ReadyCondition() {}

    /** The desired condition, without generation and transition time. */
    static Condition of(
            EffectiveAdminPolicy policy,
            List<Diagnostic> errors,
            List<Diagnostic> unenforced,
            Map<String, String> failedNodes) {
        if (errors.isEmpty() && unenforced.isEmpty() && failedNodes.isEmpty()) {
            return new Condition(READY, Condition.TRUE, REASON_REALISED, "all rules valid and realised", 0, "");
        }
        Map<String, String> ruleNames = new LinkedHashMap<>();
        for (EffectiveRule r : policy.rules()) {
            ruleNames.put(r.ref().path(), r.ref().name());
        }
        for (EffectiveRule r : policy.ingress()) {
            ruleNames.put(r.ref().path(), r.ref().name());
        }
        List<String> parts = new ArrayList<>();
        if (!unenforced.isEmpty()) {
            List<String> items = new ArrayList<>();
            for (Diagnostic d : unenforced) {
                items.add(field(d.path(), ruleNames) + ": " + d.message());
            }
            parts.add("not enforced: " + String.join("; ", items));
        }
        if (!errors.isEmpty()) {
            StringBuilder b = new StringBuilder();
            b.append(errors.size()).append(errors.size() == 1 ? " invalid field" : " invalid fields");
            b.append(" (realised fail-closed): ");
            List<String> items = new ArrayList<>();
            for (Diagnostic d : errors) {
                items.add(field(d.path(), ruleNames) + ": " + d.message());
            }
            b.append(String.join("; ", items));
            parts.add(b.toString());
        }
        if (!failedNodes.isEmpty()) {
            List<String> items = new ArrayList<>();
            failedNodes.forEach((n, r) -> items.add(n + " (" + r + ")"));
            parts.add("realisation failed on " + failedNodes.size() + (failedNodes.size() == 1 ? " node: " : " nodes: ")
                    + String.join("; ", items));
        }
        String message = String.join(". ", parts);
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 40) + "… (cut; see the controller's log)";
        }
        String reason =
                !unenforced.isEmpty() ? REASON_NOT_ENFORCED : !errors.isEmpty() ? REASON_INVALID : REASON_FAILED;
        return new Condition(READY, Condition.FALSE, reason, message, 0, "");
    }

    /**
     * The condition a process that realises one node writes (agent mode): what needs no switch. True
     * (reason {@value #REASON_VALID}) says the rules are valid and enforced, and where node failures are told;
     * False is as {@link #of} without failed nodes.
     */
    static Condition withoutNodes(EffectiveAdminPolicy policy, List<Diagnostic> errors, List<Diagnostic> unenforced) {
        if (errors.isEmpty() && unenforced.isEmpty()) {
            return new Condition(READY, Condition.TRUE, REASON_VALID, MESSAGE_VALID, 0, "");
        }
        return of(policy, errors, unenforced, Map.of());
    }

    /** {@code spec.egress[1] "deny-x" .to[0]}: the rule's name after its index when it has one. */
    private static String field(String path, Map<String, String> ruleNames) {
        java.util.regex.Matcher m = RULE_PATH.matcher(path);
        if (path.isEmpty()) {
            return "spec";
        }
        if (!m.find()) {
            return path;
        }
        String name = ruleNames.getOrDefault(m.group(), "");
        return name.isEmpty() ? path : m.group() + " \"" + name + "\"" + path.substring(m.end());
    }
}
