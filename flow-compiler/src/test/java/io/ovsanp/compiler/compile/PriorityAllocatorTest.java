package io.ovsanp.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PriorityAllocatorTest {
    private static List<String> keys(int n) {
        List<String> k = new ArrayList<>();
        for (int i = 0; i < n; i++) k.add("r" + i);
        return k;
    }

    @Test
    void freshAllocationIsStrictlyDecreasingWithGaps() {
        Map<String, Integer> p = PriorityAllocator.allocate(keys(10), Map.of(), 100, 65000);
        List<Integer> values = new ArrayList<>(p.values());
        for (int i = 1; i < values.size(); i++) {
            assertThat(values.get(i)).isLessThan(values.get(i - 1) - 1000);
        }
        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(100, 65000));
    }

    @Test
    void insertingARuleKeepsEveryOtherPriority() {
        Map<String, Integer> before = PriorityAllocator.allocate(List.of("a", "b", "c"), Map.of(), 100, 65000);
        Map<String, Integer> after = PriorityAllocator.allocate(List.of("a", "new", "b", "c"), before, 100, 65000);
        assertThat(after)
                .containsEntry("a", before.get("a"))
                .containsEntry("b", before.get("b"))
                .containsEntry("c", before.get("c"));
        assertThat(after.get("new")).isBetween(before.get("b") + 1, before.get("a") - 1);
    }

    @Test
    void reorderingKeepsTheLongestStillOrderedRun() {
        Map<String, Integer> before = PriorityAllocator.allocate(List.of("a", "b", "c", "d"), Map.of(), 100, 65000);
        Map<String, Integer> after = PriorityAllocator.allocate(List.of("d", "a", "b", "c"), before, 100, 65000);
        assertThat(after)
                .containsEntry("a", before.get("a"))
                .containsEntry("b", before.get("b"))
                .containsEntry("c", before.get("c"));
        assertThat(after.get("d")).isGreaterThan(after.get("a"));
    }

    @Test
    void aFullGapRenumbersEverything() {
        Map<String, Integer> before = Map.of("a", 102, "b", 101);
        Map<String, Integer> after = PriorityAllocator.allocate(List.of("a", "x", "b"), before, 100, 65000);
        assertThat(after.get("a")).isGreaterThan(after.get("x"));
        assertThat(after.get("x")).isGreaterThan(after.get("b"));
    }

    @Test
    void moreRulesThanPrioritiesIsRefused() {
        assertThatThrownBy(() -> PriorityAllocator.allocate(keys(11), Map.of(), 1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not fit");
    }

    @Test
    void exactlyFullRangeFits() {
        Map<String, Integer> p = PriorityAllocator.allocate(keys(10), Map.of(), 1, 10);
        assertThat(p.values()).containsExactly(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
    }

    @Property(tries = 1000)
    void alwaysStrictlyDecreasingInRangeAndStableWhereOrderAllows(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 60) Integer> order,
            @ForAll @IntRange(min = 1, max = 200) int span) {
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) first.add("k" + i);
        int lo = 100;
        int hi = lo + Math.max(span, 40);
        Map<String, Integer> prev = PriorityAllocator.allocate(first, Map.of(), lo, hi);
        List<String> next = new ArrayList<>();
        for (Integer o : order) {
            String k = "k" + o;
            if (!next.contains(k)) next.add(k);
        }
        Map<String, Integer> p = PriorityAllocator.allocate(next, new HashMap<>(prev), lo, hi);
        int last = Integer.MAX_VALUE;
        for (String k : next) {
            assertThat(p.get(k)).isBetween(lo, hi).isLessThan(last);
            last = p.get(k);
        }
    }
}
