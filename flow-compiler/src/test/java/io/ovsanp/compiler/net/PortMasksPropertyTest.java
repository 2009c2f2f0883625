package io.ovsanp.compiler.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

class PortMasksPropertyTest {

    private static final int WINDOW = 300;

    /**
     * Exact membership on every port within {@value #WINDOW} of either end of the range, and an
     * exact partition overall: ascending, disjoint blocks inside the range whose sizes add up to
     * its length.
     */
    @Property(tries = 1000)
    void coverMatchesExactlyTheRange(@ForAll("ranges") Tuple2<Integer, Integer> range) {
        int start = range.get1();
        int end = range.get2();
        List<PortMask> cover = PortMasks.cover(start, end);
        for (int port = Math.max(0, start - WINDOW); port <= Math.min(65535, end + WINDOW); port++) {
            if (port == start + WINDOW && end - WINDOW > port) {
                port = end - WINDOW; // skip the middle of long ranges
            }
            int p = port;
            assertThat(cover.stream().anyMatch(m -> m.matches(p)))
                    .as("port %d in [%d, %d]", port, start, end)
                    .isEqualTo(port >= start && port <= end);
        }
        long total = 0;
        int next = start;
        for (PortMask m : cover) {
            int size = (~m.mask() & 0xffff) + 1;
            assertThat(m.value()).as("blocks are ascending and contiguous").isEqualTo(next);
            total += size;
            next += size;
        }
        assertThat(total).isEqualTo(end - start + 1L);
    }

    @Property(tries = 1000)
    void coverHasTheFewestAlignedBlocks(@ForAll("ranges") Tuple2<Integer, Integer> range) {
        int start = range.get1();
        int end = range.get2();
        int size = PortMasks.cover(start, end).size();
        assertThat(size).isEqualTo(PortMaskOracle.maximalAlignedBlocks(start, end));
        if (end - start < 4096) {
            assertThat(size).isEqualTo(PortMaskOracle.fewestAlignedBlocks(start, end));
        }
    }

    /** Ranges of every scale: short ones anywhere, long ones, and ones touching 0 or 65535. */
    @Provide
    Arbitrary<Tuple2<Integer, Integer>> ranges() {
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
        Arbitrary<Tuple2<Integer, Integer>> anyTwo =
                Combinators.combine(port, port).as((a, b) -> Tuple.of(Math.min(a, b), Math.max(a, b)));
        Arbitrary<Tuple2<Integer, Integer>> short_ = Combinators.combine(
                        port, Arbitraries.integers().between(0, 4095))
                .as((a, len) -> Tuple.of(a, Math.min(65535, a + len)));
        Arbitrary<Tuple2<Integer, Integer>> fromZero = port.map(b -> Tuple.of(0, b));
        Arbitrary<Tuple2<Integer, Integer>> toMax = port.map(a -> Tuple.of(a, 65535));
        return Arbitraries.oneOf(anyTwo, short_, short_, fromZero, toMax);
    }
}
