package io.ovsanp.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link ClusterWatcher#merge}, which keeps a kind's sorted list between snapshots: the result is
 * exactly the previous instances minus the ones that left plus the new ones, in order.
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

        List<Item> merged = ClusterWatcher.merge(List.copyOf(previous), gone, added, ORDER);

        List<Item> expected = new ArrayList<>(kept);
        expected.addAll(added);
        assertThat(merged).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(merged).isSortedAccordingTo(ORDER);
        // the kept items keep their relative order (equal keys included)
        assertThat(merged.stream().filter(kept::contains).toList()).containsExactlyElementsOf(kept);
    }
}
