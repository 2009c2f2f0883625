package io.ovsanp.controller.kube;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Pairs the objects of an informer's cache with those of its previous scan by identity, so that
 * {@link ClusterWatcher} converts only what is new. Pure: no informer, no state.
 */
final class InstanceMatch {
    private InstanceMatch() {}

    /**
     * For each of {@code now}, the index of the same instance in {@code before}, or -1 (to be
     * converted): each index at most once. An informer lists its cache in a stable order, so the
     * previous scan's next object is tried first, then the one after it (the expected one left), and an
     * object just before the expected one is taken as new (an add, or an update replacing it); only
     * something else builds an identity map of {@code before}. A wrong guess costs a conversion, never
     * a wrong record: a match is always the same instance.
     */
    @SuppressWarnings("ReferenceEquality") // identity: the informer's instances
    static int[] of(Object[] before, Object[] now) {
        int[] at = new int[now.length];
        boolean[] taken = new boolean[before.length];
        Map<Object, Integer> index = null; // where each previous object was, built on a surprise
        int p = 0;
        for (int i = 0; i < now.length; i++) {
            Object o = now[i];
            int k = -1;
            if (p < before.length && before[p] == o && !taken[p]) {
                k = p;
            } else if (p + 1 < before.length && before[p + 1] == o && !taken[p + 1]) {
                k = p + 1; // before[p] left the cache
            } else if (p < before.length
                    && i + 1 < now.length
                    && (now[i + 1] == before[p] || (p + 1 < before.length && now[i + 1] == before[p + 1]))) {
                k = -1; // a new object here (added, or replacing before[p] on an update)
            } else if (before.length > 0) {
                if (index == null) {
                    index = new IdentityHashMap<>(before.length * 4 / 3 + 1);
                    for (int j = 0; j < before.length; j++) index.put(before[j], j);
                }
                Integer j = index.get(o);
                k = j == null || taken[j] ? -1 : j;
            }
            at[i] = k;
            if (k >= 0) {
                taken[k] = true;
                p = k + 1;
            }
        }
        return at;
    }
}
