package io.ovsanp.compiler.net;

/** Independent reference answers for {@link PortMasks#cover}, written without its greedy step. */
final class PortMaskOracle {

    private PortMaskOracle() {}

    /**
     * The fewest aligned power-of-two blocks that partition {@code [start, end]}, by dynamic
     * programming over every block size at every position (any prefix-form cover reduces to such a
     * partition, since aligned blocks are nested or disjoint). O(length · 17).
     */
    static int fewestAlignedBlocks(int start, int end) {
        int length = end - start + 1;
        int[] best = new int[length + 1]; // best[i]: fewest blocks for [start + i, end]
        for (int i = length - 1; i >= 0; i--) {
            int port = start + i;
            best[i] = Integer.MAX_VALUE;
            for (int size = 1; size <= 1 << 16; size <<= 1) {
                if (port % size == 0 && i + size <= length) {
                    best[i] = Math.min(best[i], 1 + best[i + size]);
                }
            }
        }
        return best[0];
    }

    /**
     * The number of maximal aligned blocks inside {@code [start, end]}, found top-down from the
     * whole port space by halving every block that is only partly inside. O(17 · 2) per range.
     */
    static int maximalAlignedBlocks(int start, int end) {
        return count(0, 1 << 16, start, end);
    }

    private static int count(int first, int size, int start, int end) {
        int last = first + size - 1;
        if (last < start || first > end) {
            return 0;
        }
        if (first >= start && last <= end) {
            return 1;
        }
        int half = size / 2;
        return count(first, half, start, end) + count(first + half, half, start, end);
    }
}
