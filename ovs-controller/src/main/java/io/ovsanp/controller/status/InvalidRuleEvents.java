package io.ovsanp.controller.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * One core/v1 Warning Event per invalid rule (an ERROR diagnostic of an ANP or BANP, reason {@code
 * InvalidRule} or {@code InvalidPolicy}) and per unenforced part (reason {@code NotEnforced}), with the
 * policy as {@code involvedObject}. The event's key is (policy uid, field path, message), so the same
 * problem gives one event however often it is recompiled, across restarts and replicas ({@link
 * PolicyEvents}). Not thread-safe: the status writer calls it from its one thread.
 */
final class InvalidRuleEvents {
    static final String REASON_RULE = "InvalidRule";
    static final String REASON_POLICY = "InvalidPolicy";
    static final String REASON_NOT_ENFORCED = "NotEnforced";
    static final String COMPONENT = PolicyEvents.COMPONENT;

    private final PolicyEvents events;
    private final Set<String> emitted = new HashSet<>();
    private Set<String> seen = new HashSet<>();

    InvalidRuleEvents(KubernetesClient client, String namespace, Clock clock) {
        this.events = new PolicyEvents(client, namespace, clock);
    }

    /** Starts a round: problems not reported again before {@link #endRound()} are forgotten. */
    void startRound() {
        seen = new HashSet<>();
    }

    /** Forgets problems that went away, so a later return of one is reported again. */
    void endRound() {
        emitted.retainAll(seen);
    }

    /**
     * Creates the event for {@code d} (an error about {@code policy}) unless it was created before.
     * Returns false when the API refused it for another reason than "already exists" (retry later).
     */
    boolean emit(ObjectRef policy, Diagnostic d) {
        String key = policy.kind() + "|" + policy.name() + "|" + policy.uid() + "|" + d.path() + "|" + d.message();
        seen.add(key);
        if (emitted.contains(key)) {
            return true;
        }
        String text = (d.path().isEmpty() ? "" : d.path() + ": ") + d.message();
        if (!events.create(new PolicyEvents.Spec(policy, d.path(), "Warning", reason(d), text, ""), key)) {
            return false;
        }
        emitted.add(key);
        return true;
    }

    private static String reason(Diagnostic d) {
        if (d.unenforced()) return REASON_NOT_ENFORCED;
        return d.path().startsWith("spec.egress[") || d.path().startsWith("spec.ingress[")
                ? REASON_RULE
                : REASON_POLICY;
    }
}
