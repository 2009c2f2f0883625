package io.ovsanp.controller.status;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code metav1.Condition} as the upstream {@code AdminNetworkPolicyStatus.conditions} holds it
 * (network-policy-api: {@code conditions []metav1.Condition}, list-map keyed by {@code type}).
 * {@code lastTransitionTime} is RFC 3339 in seconds ({@code 2026-01-02T03:04:05Z}).
 */
public record Condition(
        String type, String status, String reason, String message, long observedGeneration, String lastTransitionTime) {
    public static final String TRUE = "True";
    public static final String FALSE = "False";

    public Condition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        message = message == null ? "" : message;
        lastTransitionTime = lastTransitionTime == null ? "" : lastTransitionTime;
    }

    /** Same content, ignoring {@code lastTransitionTime} (which only moves when status flips). */
    public boolean sameAs(Condition o) {
        return o != null
                && type.equals(o.type)
                && status.equals(o.status)
                && reason.equals(o.reason)
                && message.equals(o.message)
                && observedGeneration == o.observedGeneration;
    }

    public Condition withTransition(String time) {
        return new Condition(type, status, reason, message, observedGeneration, time);
    }

    public Condition withGeneration(long generation) {
        return new Condition(type, status, reason, message, generation, lastTransitionTime);
    }

    /** The JSON object of the API (field names of metav1.Condition). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("status", status);
        m.put("observedGeneration", observedGeneration);
        m.put("lastTransitionTime", lastTransitionTime);
        m.put("reason", reason);
        m.put("message", message);
        return m;
    }

    /** Reads one entry of {@code status.conditions}; {@code null} if it is not an object with a type. */
    static Condition fromMap(Object o) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)) {
            return null;
        }
        long gen = m.get("observedGeneration") instanceof Number n ? n.longValue() : 0;
        return new Condition(
                type,
                text(m.get("status")),
                text(m.get("reason")),
                text(m.get("message")),
                gen,
                text(m.get("lastTransitionTime")));
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
