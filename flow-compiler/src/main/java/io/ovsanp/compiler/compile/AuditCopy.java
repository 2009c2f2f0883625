package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.flow.FlowAction;
import java.util.ArrayList;
import java.util.List;

/**
 * Which decided flows of the Admin and Baseline tiers also copy their packet to the controller for
 * the audit log: those of policies that opted in ({@code ovs-anp.io/log: "true"}), or of every
 * policy with {@code all}. The copy goes through OpenFlow meter {@code meterId}, so a flood of new
 * connections costs the controller at most the meter's rate; the flow's verdict is unchanged
 * (docs/decisions.md, "Audit log"). {@link #OFF} copies nothing.
 */
public record AuditCopy(boolean enabled, boolean all, long meterId, int maxLen) {
    /** Enough for Ethernet, an IPv6 header with a few extension headers, and the ports. */
    public static final int DEFAULT_MAX_LEN = 128;

    public static final AuditCopy OFF = new AuditCopy(false, false, 1, DEFAULT_MAX_LEN);

    public AuditCopy {
        new FlowAction.Controller(maxLen, meterId); // validates both
    }

    /** Copies for opted-in policies (or all with {@code all}) through meter {@code meterId}. */
    public static AuditCopy on(boolean all, long meterId) {
        return new AuditCopy(true, all, meterId, DEFAULT_MAX_LEN);
    }

    /**
     * {@code verdict} with the copy in front when a policy that {@code optedIn} is audited: the copy
     * must come first, as a goto_table ends the action list.
     */
    List<FlowAction> decorate(boolean optedIn, List<FlowAction> verdict) {
        if (!enabled || !(all || optedIn)) return verdict;
        List<FlowAction> out = new ArrayList<>(verdict.size() + 1);
        out.add(new FlowAction.Controller(maxLen, meterId));
        out.addAll(verdict);
        return List.copyOf(out);
    }
}
