package io.ovsanp.compiler.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One kind's part of a {@link ClusterChange}: the records that {@code left} the snapshot (removed
 * objects, and the old version of changed ones) and those that {@code came} (added objects, and the
 * new version of changed ones), each sorted in the snapshot's order of the kind. A record in neither
 * list is in both snapshots, the same instance or an equal one.
 */
public record KindChange<T>(List<T> left, List<T> came) {
    private static final KindChange<?> NONE = new KindChange<>(List.of(), List.of());

    public KindChange {
        left = List.copyOf(left);
        came = List.copyOf(came);
    }

    @SuppressWarnings("unchecked")
    public static <T> KindChange<T> none() {
        return (KindChange<T>) NONE;
    }

    public boolean isEmpty() {
        return left.isEmpty() && came.isEmpty();
    }

    /** How many records left or came. */
    public int size() {
        return left.size() + came.size();
    }

    /**
     * Calls {@code changed} once per object that changed: (old, new) when {@code order} puts a left
     * and a came record at the same place (unless they are equal: that object did not change), (old,
     * null) for a removed one and (null, new) for an added one.
     */
    public void forEach(Comparator<? super T> order, BiConsumer<T, T> changed) {
        ClusterSnapshot.diffSorted(left, came, order, (o, n) -> {
            changed.accept(o, n);
            return true;
        });
    }

    /**
     * The change from before {@code this} to after {@code later}: a record that came here and an equal
     * one that left there cancel out (equal, not only identical: a producer may replace a record by an
     * equal one without reporting it, since that is no change, and one object has one key).
     */
    KindChange<T> then(KindChange<T> later, Comparator<? super T> order) {
        if (isEmpty()) {
            return later;
        }
        if (later.isEmpty()) {
            return this;
        }
        Map<T, Integer> cameHere = counts(came);
        List<T> l = new ArrayList<>(left);
        for (T t : later.left) {
            if (!take(cameHere, t)) l.add(t);
        }
        List<T> c = new ArrayList<>();
        Map<T, Integer> cancelled = counts(later.left);
        for (T t : came) {
            if (!take(cancelled, t)) c.add(t);
        }
        c.addAll(later.came);
        l.sort(order);
        c.sort(order);
        return KindChange.between(l, c, order);
    }

    private static <T> Map<T, Integer> counts(List<T> items) {
        Map<T, Integer> out = new HashMap<>();
        for (T t : items) out.merge(t, 1, Integer::sum);
        return out;
    }

    /** Takes one {@code t} from the multiset; false when none is left. */
    private static <T> boolean take(Map<T, Integer> counts, T t) {
        Integer n = counts.get(t);
        if (n == null) return false;
        if (n == 1) counts.remove(t);
        else counts.put(t, n - 1);
        return true;
    }

    /**
     * What differs between two lists sorted by {@code order} (unchanged records skipped by identity
     * first, equal records at the same place paired off): also how a producer normalises the records
     * it saw leave and come (an update that converts to an equal record is no change).
     */
    @SuppressWarnings("ReferenceEquality") // the same list: nothing to walk
    public static <T> KindChange<T> between(List<T> before, List<T> after, Comparator<? super T> order) {
        Objects.requireNonNull(order);
        if (before == after) {
            return none();
        }
        List<T> l = new ArrayList<>();
        List<T> c = new ArrayList<>();
        ClusterSnapshot.diffSorted(before, after, order, (o, n) -> {
            if (o != null) l.add(o);
            if (n != null) c.add(n);
            return true;
        });
        return l.isEmpty() && c.isEmpty() ? none() : new KindChange<>(l, c);
    }
}
