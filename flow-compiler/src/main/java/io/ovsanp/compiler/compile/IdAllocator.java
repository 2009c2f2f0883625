package io.ovsanp.compiler.compile;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stable 32-bit ids (conjunction ids, cookie rule ids): a key keeps its previous id; new keys get the
 * smallest id that no previous key holds, in the order they are asked for. Ids start at 1. Only the
 * keys asked for in this compile are carried into the next allocation.
 */
final class IdAllocator {
    private final Map<String, Long> previous;
    private final Set<Long> reserved;
    private final Map<String, Long> assigned = new TreeMap<>();
    private long next = 1;

    IdAllocator(Map<String, Long> previous) {
        this.previous = previous;
        this.reserved = new HashSet<>(previous.values());
    }

    long id(String key) {
        Long id = assigned.get(key);
        if (id != null) {
            return id;
        }
        id = previous.get(key);
        if (id == null) {
            while (reserved.contains(next)) next++;
            if (next > 0xffff_ffffL) {
                throw new IllegalStateException("32-bit id space exhausted");
            }
            id = next++;
            reserved.add(id);
        }
        assigned.put(key, id);
        return id;
    }

    Map<String, Long> assigned() {
        return assigned;
    }
}
