package io.ovsanp.compiler.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What turns the installed flows into the desired ones, by flow key (OVS keeps one flow per table,
 * priority and match): {@code adds} are new keys or keys whose cookie must change (only an ADD can
 * change a cookie, OVS-NOTES §5.4), {@code modifies} keep key and cookie but change actions, {@code
 * deletes} are installed keys that are no longer wanted. Pure; deterministic order.
 */
public record FlowDiff(List<Flow> adds, List<Flow> modifies, List<Flow> deletes) {
    public FlowDiff {
        adds = List.copyOf(adds);
        modifies = List.copyOf(modifies);
        deletes = List.copyOf(deletes);
    }

    public static FlowDiff between(Collection<Flow> installed, FlowSet desired) {
        Map<Flow.FlowKey, Flow> have = new LinkedHashMap<>();
        for (Flow f : installed) {
            have.put(f.key(), f);
        }
        List<Flow> adds = new ArrayList<>();
        List<Flow> modifies = new ArrayList<>();
        for (Flow want : desired) {
            Flow got = have.remove(want.key());
            if (got == null || !got.cookie().equals(want.cookie())) {
                adds.add(want);
            } else if (!got.actions().equals(want.actions())) {
                modifies.add(want);
            }
        }
        List<Flow> deletes = new ArrayList<>(have.values());
        deletes.sort(Flow.ORDER);
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
