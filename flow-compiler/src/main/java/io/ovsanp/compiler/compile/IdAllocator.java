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

    /**
     * Takes the given ids for their keys if this allocation gives each key that id (the previous
     * allocation had it, or this compile already assigned it); false otherwise. Keys already checked
     * when a later one fails keep their ids, which are the ones {@link #id} would give them.
     */
    boolean claim(Map<String, Long> ids) {
        for (Map.Entry<String, Long> e : ids.entrySet()) {
            Long have = assigned.get(e.getKey());
            if (have == null) have = previous.get(e.getKey());
            if (!e.getValue().equals(have)) {
                return false;
            }
            assigned.put(e.getKey(), have);
        }
        return true;
    }

    Map<String, Long> assigned() {
        return assigned;
    }
}
