package io.ovsanp.compiler.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What turns the installed flows into the desired ones, by flow key (OVS keeps one flow per table,
 * priority and match): {@code adds} are new keys or keys whose cookie must change (only an ADD can
 * change a cookie, docs/ovs-notes.md §5.4), {@code modifies} keep key and cookie but change actions, {@code
 * deletes} are installed keys that are no longer wanted. Pure; deterministic order.
 */
public record FlowDiff(List<Flow> adds, List<Flow> modifies, List<Flow> deletes) {
    public FlowDiff {
        adds = List.copyOf(adds);
        modifies = List.copyOf(modifies);
        deletes = List.copyOf(deletes);
    }

    /** Sorts {@code installed} first (a switch dumps in hash order); see {@link #between(FlowSet, FlowSet)}. */
    public static FlowDiff between(Collection<Flow> installed, FlowSet desired) {
        return between(FlowSet.of(installed), desired);
    }

    /**
     * A merge join of two sets in {@link Flow#ORDER}: linear, no hashing, which matters when a 1 %
     * change has to be found among 100k flows.
     */
    @SuppressWarnings("ReferenceEquality") // the same instance (a flow reused by the compiler) is the fast path
    public static FlowDiff between(FlowSet installed, FlowSet desired) {
        List<Flow> have = installed.flows();
        List<Flow> want = desired.flows();
        List<Flow> adds = new ArrayList<>();
        List<Flow> modifies = new ArrayList<>();
        List<Flow> deletes = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < have.size() || j < want.size()) {
            int c = i == have.size() ? 1 : j == want.size() ? -1 : Flow.ORDER.compare(have.get(i), want.get(j));
            if (c < 0) {
                deletes.add(have.get(i++));
            } else if (c > 0) {
                adds.add(want.get(j++));
            } else {
                Flow got = have.get(i++);
                Flow wanted = want.get(j++);
                if (got == wanted) {
                    continue;
                }
                if (!got.cookie().equals(wanted.cookie())) {
                    adds.add(wanted);
                } else if (!got.actions().equals(wanted.actions())) {
                    modifies.add(wanted);
                }
            }
        }
        return new FlowDiff(adds, modifies, deletes);
    }

    public boolean isEmpty() {
        return adds.isEmpty() && modifies.isEmpty() && deletes.isEmpty();
    }

    public int size() {
        return adds.size() + modifies.size() + deletes.size();
    }

    /** {@code +12 ~0 -3}. */
    public String summary() {
        return "+" + adds.size() + " ~" + modifies.size() + " -" + deletes.size();
    }
}
