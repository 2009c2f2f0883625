package io.ovsanp.compiler.flow;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One OpenFlow flow as a value. Identity on the switch is {@link #key()}: OVS keeps one flow per
 * (table, priority, match), so an ADD with an existing key replaces it.
 */
public record Flow(TableId table, Priority priority, Cookie cookie, Match match, List<FlowAction> actions)
        implements Comparable<Flow> {

    /** Tables ascending, priorities descending, then match text: the order of ovs-ofctl dumps. */
    public static final Comparator<Flow> ORDER = (a, b) -> {
        if (a == b) return 0; // the same instance: reused flows meet themselves in diffs
        int c = a.table.compareTo(b.table);
        if (c == 0) c = b.priority.compareTo(a.priority);
        return c != 0 ? c : a.match.compareTo(b.match);
    };

    public Flow {
        Objects.requireNonNull(table);
        Objects.requireNonNull(priority);
        Objects.requireNonNull(cookie);
        Objects.requireNonNull(match);
        actions = List.copyOf(actions);
        int conjs = 0;
        boolean ct = false;
        boolean commit = false;
        boolean ctMark = false;
        for (FlowAction a : actions) {
            if (a instanceof FlowAction.Conjunction) conjs++;
            ctMark |= a instanceof FlowAction.SetField s && s.field() == Field.CT_MARK;
            if (a instanceof FlowAction.Ct c) {
                ct = true;
                commit |= c.commit();
            }
        }
        if (conjs > 0 && conjs != actions.size()) {
            throw new IllegalArgumentException("a flow with conjunction actions may have no other action: " + actions);
        }
        if (ctMark) {
            throw new IllegalArgumentException("ct_mark can only be set inside ct(commit,exec(...)): " + actions);
        }
        if (ct && !matchesIp(match)) {
            // OVS answers OFPBAC_MATCH_INCONSISTENT: conntrack needs an IP packet.
            throw new IllegalArgumentException("ct(...) needs ip or ipv6 in the match: " + match);
        }
        if (commit && matchesInvalid(match)) {
            // OVS answers OFPBAC_MATCH_INCONSISTENT: an invalid packet cannot be committed.
            throw new IllegalArgumentException("ct(commit) on a match that requires ct_state +inv: " + match);
        }
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i) instanceof FlowAction.GotoTable g) {
                if (i != actions.size() - 1) {
                    throw new IllegalArgumentException("goto_table must be the last action");
                }
                if (g.table().value() <= table.value()) {
                    throw new IllegalArgumentException("goto_table must point forward: " + table + " -> " + g.table());
                }
            }
        }
        match.checkPrerequisites();
    }

    private static boolean matchesIp(Match m) {
        long eth = m.get(Field.ETH_TYPE).map(f -> f.value().longValue()).orElse(-1L);
        return eth == 0x0800 || eth == 0x86dd;
    }

    private static boolean matchesInvalid(Match m) {
        final int inv = 0x10;
        return m.get(Field.CT_STATE).map(f -> (f.value().intValue() & inv) != 0).orElse(false);
    }

    public FlowKey key() {
        return new FlowKey(table, priority, match);
    }

    public boolean isClause() {
        return !actions.isEmpty() && actions.get(0) instanceof FlowAction.Conjunction;
    }

    @Override
    public int compareTo(Flow o) {
        return ORDER.compare(this, o);
    }

    /** What identifies a flow on the switch. */
    public record FlowKey(TableId table, Priority priority, Match match) implements Comparable<FlowKey> {
        @Override
        public int compareTo(FlowKey o) {
            int c = table.compareTo(o.table);
            if (c == 0) c = o.priority.compareTo(priority);
            return c != 0 ? c : match.compareTo(o.match);
        }
    }
}
