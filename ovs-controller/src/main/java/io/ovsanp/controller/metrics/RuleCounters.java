package io.ovsanp.controller.metrics;

import io.ovsanp.compiler.compile.RuleCookies;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per-rule packet and byte counts of new connections, accounted from successive flow dumps of the
 * nodes' switches (docs/decisions.md, "Rule counters"). Only the flows that decide count ({@link
 * RuleCookies#decides}: plain and {@code conj_id} flows). Each poll adds, per flow, what it counted
 * since the previous poll to the rule its cookie names now, so a rule's total never goes down: a flow
 * kept or modified by a recompile (OVS keeps its counters and its duration) adds its increase; a flow
 * the switch re-created (deleted and added: a new cookie, a renumbered priority, an ovs-vswitchd
 * restart) is recognised by a duration or a counter that went down, and adds all it has counted
 * since. What a deleted flow counted after the last poll is not seen. Not thread-safe: one caller
 * (the loop thread, or a one-shot command).
 */
public final class RuleCounters {
    /** Packets and bytes. */
    public record Count(long packets, long bytes) {
        public static final Count ZERO = new Count(0, 0);

        Count plus(long p, long b) {
            return new Count(packets + p, bytes + b);
        }
    }

    /** A rule as the counters know it: its identity and the verdict its flows enforce. */
    public record RuleKey(RuleRef rule, Action action) implements Comparable<RuleKey> {
        @Override
        public int compareTo(RuleKey o) {
            int c = rule.compareTo(o.rule);
            return c != 0 ? c : action.compareTo(o.action);
        }
    }

    private record FlowId(Flow.FlowKey key, Cookie cookie) {}

    private record Seen(long packets, long bytes, long durationNanos) {}

    private final Map<String, Map<FlowId, Seen>> seen = new HashMap<>();
    private final Map<RuleKey, Count> totals = new TreeMap<>();

    /**
     * Accounts one dump of {@code node}'s switch, its rule cookies named by {@code cookies} (the compile
     * the switch holds); returns what this dump added, per rule (rules that counted nothing are left
     * out).
     */
    public Map<RuleKey, Count> poll(String node, List<DumpedFlow> dumped, RuleCookies cookies) {
        Map<FlowId, Seen> before = seen.getOrDefault(node, Map.of());
        Map<FlowId, Seen> now = new HashMap<>();
        Map<RuleKey, Count> added = new LinkedHashMap<>();
        for (DumpedFlow d : dumped) {
            if (d.flow().isEmpty() || !RuleCookies.decides(d.flow().get())) continue;
            Optional<RuleCookies.Rule> rule = cookies.rule(d.cookie());
            if (rule.isEmpty()) continue;
            FlowId id = new FlowId(d.flow().get().key(), d.cookie());
            Seen cur = new Seen(d.packetCount(), d.byteCount(), d.durationSec() * 1_000_000_000L + d.durationNsec());
            now.put(id, cur);
            Seen prev = before.get(id);
            boolean recreated = prev == null
                    || cur.durationNanos < prev.durationNanos
                    || cur.packets < prev.packets
                    || cur.bytes < prev.bytes;
            long p = recreated ? cur.packets : cur.packets - prev.packets;
            long b = recreated ? cur.bytes : cur.bytes - prev.bytes;
            if (p == 0 && b == 0) continue;
            RuleKey key = new RuleKey(rule.get().ref(), rule.get().action());
            added.merge(key, new Count(p, b), (x, y) -> x.plus(y.packets, y.bytes));
            totals.merge(key, new Count(p, b), (x, y) -> x.plus(y.packets, y.bytes));
        }
        seen.put(node, now);
        return added;
    }

    /** The node left the cluster: its switch's flows are no longer followed (totals stay). */
    public void forget(String node) {
        seen.remove(node);
    }

    /** Every rule's total so far, over all nodes. */
    public Map<RuleKey, Count> totals() {
        return Map.copyOf(totals);
    }
}
