package io.ovsanp.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link io.ovsanp.compiler.cluster.ClusterSnapshot#mergeSorted}, which keeps a kind's sorted list between snapshots: the result is
 * exactly the previous instances minus the ones that left plus the new ones, in order. And {@link
 * ClusterWatcher#match}, which finds the previous scan's conversion of each cached object: a match is
 * always the same instance, no previous object is matched twice, and an object that was there and is
 * found in the usual (stable) order is matched.
 */
class ClusterWatcherMergeTest {
    /** A record with a sort key that several items may share (instances are told apart by id). */
    private record Item(int key, int id) {}

    private static final Comparator<Item> ORDER = Comparator.comparingInt(Item::key);

    @Property
    void theMergeIsTheFilteredAndSortedList(@ForAll long seed) {
        Random r = new Random(seed);
        int ids = 0;
        List<Item> previous = new ArrayList<>();
        int size = r.nextInt(40);
        for (int i = 0; i < size; i++) previous.add(new Item(r.nextInt(20), ids++));
        previous.sort(ORDER);
        List<Item> gone = new ArrayList<>();
        List<Item> kept = new ArrayList<>();
        for (Item i : previous) (r.nextInt(4) == 0 ? gone : kept).add(i);
        List<Item> added = new ArrayList<>();
        int more = r.nextInt(6);
        for (int i = 0; i < more; i++) added.add(new Item(r.nextInt(22) - 1, ids++));

        List<Item> merged =
                io.ovsanp.compiler.cluster.ClusterSnapshot.mergeSorted(List.copyOf(previous), gone, added, ORDER);

        List<Item> expected = new ArrayList<>(kept);
        expected.addAll(added);
        assertThat(merged).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(merged).isSortedAccordingTo(ORDER);
        // the kept items keep their relative order (equal keys included)
        assertThat(merged.stream().filter(kept::contains).toList()).containsExactlyElementsOf(kept);
    }

    @Property
    void aMatchIsAlwaysTheSameInstanceAndNeverTwice(@ForAll long seed) {
        Random r = new Random(seed);
        List<Object> before = new ArrayList<>();
        int size = r.nextInt(30);
        for (int i = 0; i < size; i++) before.add(new Object());
        // the cache after some events: updates replace, deletes remove, adds insert; sometimes shuffled
        List<Object> now = new ArrayList<>(before);
        int events = r.nextInt(5);
        for (int e = 0; e < events && !now.isEmpty(); e++) {
            int at = r.nextInt(now.size());
            switch (r.nextInt(3)) {
                case 0 -> now.set(at, new Object());
                case 1 -> now.remove(at);
                default -> now.add(at, new Object());
            }
        }
        boolean shuffled = r.nextInt(5) == 0;
        if (shuffled) java.util.Collections.shuffle(now, r);

        int[] at = InstanceMatch.of(before.toArray(), now.toArray());

        assertThat(at).hasSize(now.size());
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int i = 0; i < at.length; i++) {
            if (at[i] < 0) continue;
            assertThat(before.get(at[i])).isSameAs(now.get(i));
            assertThat(used.add(at[i])).as("index %d matched twice", at[i]).isTrue();
        }
        if (!shuffled) {
            // in order, every object still there is found (no needless conversion)
            for (int i = 0; i < at.length; i++) {
                if (before.contains(now.get(i)))
                    assertThat(at[i]).as("object %d", i).isNotNegative();
            }
        }
    }
}
