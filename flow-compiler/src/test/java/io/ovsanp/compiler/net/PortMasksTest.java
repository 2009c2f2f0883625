package io.ovsanp.compiler.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortMasksTest {

    private static String ofctl(List<PortMask> masks) {
        return masks.stream().map(PortMask::toOfctl).collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "[{0}, {1}] -> {2}")
    @CsvSource({
        "80, 80, 80",
        "0, 0, 0",
        "65535, 65535, 65535",
        "80, 95, 0x50/0xfff0",
        "80, 81, 0x50/0xfffe",
        "80, 82, 0x50/0xfffe 82",
        "1024, 65535, 0x400/0xfc00 0x800/0xf800 0x1000/0xf000 0x2000/0xe000 0x4000/0xc000 0x8000/0x8000",
        "0, 1023, 0x0/0xfc00",
        "0, 65535, 0x0/0x0",
        "8000, 8080, 0x1f40/0xffc0 0x1f80/0xfff0 8080",
        "30000, 32767, 0x7530/0xfff0 0x7540/0xffc0 0x7580/0xff80 0x7600/0xfe00 0x7800/0xf800"
    })
    void splitsRangesIntoAlignedBlocksPrintedLikeOvsOfctl(int start, int end, String expected) {
        assertThat(ofctl(PortMasks.cover(start, end))).isEqualTo(expected);
    }

    @Test
    void worstCaseRangeNeedsThirtyEntries() {
        assertThat(PortMasks.cover(1, 65534)).hasSize(30);
    }

    @Test
    void invalidRangesAreRejected() {
        assertThatThrownBy(() -> PortMasks.cover(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortMasks.cover(5, 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortMasks.cover(81, 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[81, 80]");
    }

    @Test
    void portMaskRejectsValueBitsOutsideTheMask() {
        assertThatThrownBy(() -> new PortMask(0x51, 0xfff0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortMask(0x10000, 0xffff)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortMask(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactPortMatchesOnlyItself() {
        PortMask http = PortMask.exact(80);
        assertThat(http.isExact()).isTrue();
        assertThat(http.matches(80)).isTrue();
        assertThat(http.matches(81)).isFalse();
        assertThat(http).hasToString("80");
    }

    @Test
    void maskedPortMatchesItsBlock() {
        PortMask block = new PortMask(0x50, 0xfff0);
        assertThat(block.isExact()).isFalse();
        assertThat(IntStream.rangeClosed(0, 65535).filter(block::matches).boxed())
                .containsExactlyElementsOf(IntStream.rangeClosed(80, 95).boxed().collect(Collectors.toList()));
    }

    /**
     * Every range inside [0, 127]: the cover matches exactly the range (checked on [0, 255]) and
     * has as many entries as the best partition into aligned blocks found by exhaustive dynamic
     * programming over every aligned block size at every position.
     */
    @Test
    void everySmallRangeIsCoveredExactlyWithTheFewestAlignedBlocks() {
        for (int start = 0; start < 128; start++) {
            for (int end = start; end < 128; end++) {
                List<PortMask> cover = PortMasks.cover(start, end);
                List<Integer> wrong = new ArrayList<>();
                for (int port = 0; port < 256; port++) {
                    int p = port;
                    if (cover.stream().anyMatch(m -> m.matches(p)) != (port >= start && port <= end)) {
                        wrong.add(port);
                    }
                }
                assertThat(wrong)
                        .as("ports matched wrongly for [%d, %d]", start, end)
                        .isEmpty();
                assertThat(cover).as("[%d, %d]", start, end).hasSize(PortMaskOracle.fewestAlignedBlocks(start, end));
            }
        }
    }

    /**
     * Documents the trade-off in {@link PortMasks#cover}: with arbitrary masks, {@code [1, 6]}
     * (three bits wide, placed at 0xfff8 so the upper bits are fixed) needs three entries, one
     * fewer than aligned blocks.
     */
    @Test
    void masksWithHolesCouldBeShorterButAlignedBlocksAreUsed() {
        int base = 0xfff8;
        List<PortMask> holes = List.of(
                new PortMask(base | 0b001, 0xfffd), // 0*1 -> 1, 3
                new PortMask(base | 0b010, 0xfffb), // *10 -> 2, 6
                new PortMask(base | 0b100, 0xfffe)); // 10* -> 4, 5
        for (int port = 0; port < 65536; port++) {
            int p = port;
            boolean inRange = port >= base + 1 && port <= base + 6;
            assertThat(holes.stream().anyMatch(m -> m.matches(p))).isEqualTo(inRange);
        }
        assertThat(PortMasks.cover(base + 1, base + 6)).hasSize(4);
    }
}
