package io.ovsanp.compiler.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable set of flows with unique keys, in {@link Flow#ORDER}. */
public record FlowSet(List<Flow> flows) implements Iterable<Flow> {
    public FlowSet {
        List<Flow> sorted = new ArrayList<>(flows);
        if (!isSorted(sorted)) sorted.sort(Flow.ORDER);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).key().equals(sorted.get(i).key())) {
                throw new IllegalArgumentException(
                        "two flows with the same key: " + sorted.get(i).key());
            }
        }
        flows = List.copyOf(sorted);
    }

    private static boolean isSorted(List<Flow> flows) {
        for (int i = 1; i < flows.size(); i++) {
            if (Flow.ORDER.compare(flows.get(i - 1), flows.get(i)) > 0) return false;
        }
        return true;
    }

    public static FlowSet of(Collection<Flow> flows) {
        return new FlowSet(List.copyOf(flows));
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
}
