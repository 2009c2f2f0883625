package io.ovsanp.compiler.cluster;

import java.util.AbstractList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list that is known to be sorted by {@link #order()}: the proof travels with the list,
 * so a {@link ClusterSnapshot} built from a list another snapshot holds (or from a {@link
 * ClusterSnapshot#mergeSorted} result) skips its sortedness check, a pass over every pod of a
 * 20,000-pod cluster on every API event, without any cache of "the lists seen last". Equal to any
 * list with the same elements ({@link List#equals}).
 */
public final class SortedList<T> extends AbstractList<T> implements RandomAccess {
    private final List<T> items;
    private final Comparator<? super T> order;

    private SortedList(List<T> items, Comparator<? super T> order) {
        this.items = items;
        this.order = order;
    }

    /**
     * {@code in} sorted by {@code order} (stable), immutable: {@code in} itself when it is a sorted
     * list of the same order already, else one pass to check and, only if out of order, a sort.
     */
    public static <T> SortedList<T> of(List<T> in, Comparator<? super T> order) {
        Objects.requireNonNull(order);
        if (in instanceof SortedList<T> s && s.order == order) {
            return s;
        }
        T previous = null;
        boolean first = true;
        for (T t : in) {
            if (!first && order.compare(previous, t) > 0) {
                List<T> copy = new java.util.ArrayList<>(in);
                copy.sort(order);
                return new SortedList<>(List.copyOf(copy), order);
            }
            previous = t;
            first = false;
        }
        return new SortedList<>(List.copyOf(in), order);
    }

    /** Wraps {@code sorted}, which the caller has built in {@code order} (not checked): package only. */
    static <T> SortedList<T> trusted(List<T> sorted, Comparator<? super T> order) {
        return new SortedList<>(List.copyOf(sorted), order);
    }

    /** The order the elements are in. */
    public Comparator<? super T> order() {
        return order;
    }

    @Override
    public T get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
