package io.ovsanp.compiler.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable set of flows with unique keys, in {@link Flow#ORDER}. */
public final class FlowSet implements Iterable<Flow> {
    private final List<Flow> flows;

    private FlowSet(List<Flow> flows) {
        this.flows = flows;
    }

    /** Sorts {@code flows} (unless already sorted) and refuses two flows with the same key. */
    public static FlowSet of(Collection<Flow> flows) {
        List<Flow> sorted = new ArrayList<>(flows);
        if (!isSorted(sorted)) sorted.sort(Flow.ORDER);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).key().equals(sorted.get(i).key())) {
                throw new IllegalArgumentException(
                        "two flows with the same key: " + sorted.get(i).key());
            }
        }
        return new FlowSet(List.copyOf(sorted));
    }

    /**
     * The union of runs that are each sorted with unique keys (a compiler's per-rule flow lists, whose
     * keys come from a map): the runs are ordered by their first flow and only the boundaries between
     * them are checked, so a node's flows are not compared pairwise again when most runs were reused
     * from its previous compile. Runs that overlap fall back to {@link #of}.
     */
    public static FlowSet ofSortedRuns(List<List<Flow>> runs) {
        List<List<Flow>> ordered = new ArrayList<>(runs.size());
        int total = 0;
        for (List<Flow> r : runs) {
            if (!r.isEmpty()) {
                ordered.add(r);
                total += r.size();
            }
        }
        ordered.sort((a, b) -> Flow.ORDER.compare(a.get(0), b.get(0)));
        List<Flow> out = new ArrayList<>(total);
        for (List<Flow> r : ordered) {
            if (!out.isEmpty() && Flow.ORDER.compare(out.get(out.size() - 1), r.get(0)) >= 0) {
                List<Flow> all = new ArrayList<>(total);
                runs.forEach(all::addAll);
                return of(all);
            }
            out.addAll(r);
        }
        return new FlowSet(List.copyOf(out));
    }

    private static boolean isSorted(List<Flow> flows) {
        for (int i = 1; i < flows.size(); i++) {
            if (Flow.ORDER.compare(flows.get(i - 1), flows.get(i)) > 0) return false;
        }
        return true;
    }

    public List<Flow> flows() {
        return flows;
    }

    public int size() {
        return flows.size();
    }

    public Map<Flow.FlowKey, Flow> byKey() {
        Map<Flow.FlowKey, Flow> m = new LinkedHashMap<>();
        flows.forEach(f -> m.put(f.key(), f));
        return m;
    }

    public List<Flow> table(TableId t) {
        return flows.stream().filter(f -> f.table().equals(t)).toList();
    }

    @Override
    public Iterator<Flow> iterator() {
        return flows.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof FlowSet other && flows.equals(other.flows));
    }

    @Override
    public int hashCode() {
        return flows.hashCode();
    }

    @Override
    public String toString() {
        return "FlowSet[flows=" + flows + "]";
    }
}
