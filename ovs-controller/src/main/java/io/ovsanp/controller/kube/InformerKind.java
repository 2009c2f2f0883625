package io.ovsanp.controller.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.KindChange;
import io.ovsanp.compiler.diag.Diagnostic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind's informer and its conversions, kept between snapshots ({@link ClusterWatcher}). Every API
 * event used to convert every cached object (20,000 pods at the scale) and compare the results
 * deeply. Now an object the informer still holds (the same instance: an informer replaces the object
 * on every update, it never changes one in place) keeps its records, so unchanged objects are the same
 * record instances in consecutive snapshots, a kind without an event since the last snapshot keeps
 * its whole list, and what left and came is known without comparing the lists: {@link #refresh}
 * returns it. Events are counted before the listeners run ({@link #eventCounter}), so the snapshot read
 * after any event sees the count moved; one that raced ahead of its count is picked up by the snapshot
 * its own notification triggers. Not thread-safe: the watcher calls it under its lock.
 */
final class InformerKind<T extends HasMetadata, R> {
    /** Converts one cached object: its records (none for a pod that is not running) and problems. */
    @FunctionalInterface
    interface Converter<T, R> {
        void convert(T object, List<R> out, List<Diagnostic> diagnostics);
    }

    /** What one cached object converted to. */
    private record Conversion<R>(List<R> records, List<Diagnostic> diagnostics) {}

    /** The informer's cache now (an empty list for a kind that is not watched). */
    private final java.util.function.Supplier<List<T>> cache;

    private final Converter<T, R> converter;
    private final Comparator<? super R> order;
    private final AtomicLong events = new AtomicLong(1);
    private long seen; // the event count the lists below were built at
    // the cache's objects at the last scan, in its order, and what each converted to
    private Object[] objects = new Object[0];

    @SuppressWarnings("unchecked")
    private Conversion<R>[] conversions = new Conversion[0];

    private List<R> records = List.of(); // in the snapshot's order
    private List<Diagnostic> diagnostics = List.of();

    InformerKind(SharedIndexInformer<T> informer, Comparator<? super R> order, Converter<T, R> converter) {
        this(() -> informer.getStore().list(), order, converter);
    }

    InformerKind(java.util.function.Supplier<List<T>> cache, Comparator<? super R> order, Converter<T, R> converter) {
        this.cache = cache;
        this.order = order;
        this.converter = converter;
    }

    /** Counts the informer's events; the watcher's event handler increments it. */
    AtomicLong eventCounter() {
        return events;
    }

    /**
     * Brings the lists up to the informer's cache and returns what left and came since the last call
     * (an update converting to an equal record is no change). Objects the cache no longer holds
     * (deleted, or replaced by an update) leave the sorted list, new ones are converted and merged in:
     * no sort of the whole kind.
     */
    @SuppressWarnings("unchecked") // the informer's objects, stored as Object[]
    KindChange<R> refresh() {
        long count = events.get();
        if (count == seen) {
            return KindChange.none();
        }
        Object[] before = objects;
        Conversion<R>[] was = conversions;
        List<R> previous = records;
        // if a conversion throws, the next call starts over
        objects = new Object[0];
        conversions = new Conversion[0];
        records = List.of();
        seen = 0;
        Object[] objs = cache.get().toArray();
        Conversion<R>[] convs = new Conversion[objs.length];
        int[] at = InstanceMatch.of(before, objs);
        boolean[] kept = new boolean[before.length];
        List<R> added = new ArrayList<>();
        List<Diagnostic> ds = new ArrayList<>();
        for (int i = 0; i < objs.length; i++) {
            Conversion<R> c;
            if (at[i] >= 0) {
                c = was[at[i]];
                kept[at[i]] = true;
            } else {
                List<R> out = new ArrayList<>(1);
                List<Diagnostic> problems = new ArrayList<>(0);
                converter.convert((T) objs[i], out, problems);
                c = new Conversion<>(List.copyOf(out), List.copyOf(problems));
                added.addAll(c.records());
            }
            convs[i] = c;
            ds.addAll(c.diagnostics());
        }
        List<R> gone = new ArrayList<>();
        for (int k = 0; k < before.length; k++) {
            if (!kept[k]) gone.addAll(was[k].records());
        }
        records = added.isEmpty() && gone.isEmpty()
                ? previous
                : ClusterSnapshot.mergeSorted(previous, gone, added, order);
        objects = objs;
        conversions = convs;
        diagnostics = List.copyOf(ds);
        seen = count;
        gone.sort(order);
        added.sort(order);
        return KindChange.between(gone, added, order);
    }

    /** The records of the last {@link #refresh}, sorted in the snapshot's order. */
    List<R> records() {
        return records;
    }

    /** Keeps the snapshot's list (the same elements), so the next snapshot gets it again. */
    void sorted(List<R> inSnapshot) {
        records = inSnapshot;
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** The event count of the last {@link #refresh}. */
    long seen() {
        return seen;
    }
}
