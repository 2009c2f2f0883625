package io.ovsanp.compiler.net;

import java.util.ArrayList;
import java.util.List;

/** Splitting a port range ({@code port} + {@code endPort} in the policy API) into masked matches. */
public final class PortMasks {

    private static final int MAX_PORT = 0xffff;

    private PortMasks() {}

    /**
     * The shortest list of prefix-form masks (aligned power-of-two blocks) whose union is exactly
     * {@code [start, end]}, in ascending, non-overlapping order.
     *
     * <p>Greedy: from the lowest uncovered port take the largest aligned block that stays inside
     * the range. This is optimal among prefix-form masks: two aligned blocks are nested or
     * disjoint, so any cover can be reduced to a partition; in a partition the block holding the
     * lowest port is at most the greedy block, and the blocks meeting the greedy block all lie
     * inside it, so swapping them for it never adds an entry. At most 30 entries ({@code [1,
     * 65534]}). Masks with holes can sometimes do with fewer entries ({@code [1, 6]} over three bits:
     * {@code 0*1, *10, 10*} instead of four blocks); they are not produced here, which keeps every
     * entry a readable aligned block.
     *
     * @throws IllegalArgumentException unless {@code 0 <= start <= end <= 65535}
     */
    public static List<PortMask> cover(int start, int end) {
        if (start < 0 || end > MAX_PORT || start > end) {
            throw new IllegalArgumentException(
                    "port range [" + start + ", " + end + "] must satisfy 0 <= start <= end <= 65535");
        }
        List<PortMask> out = new ArrayList<>();
        int port = start;
        while (port <= end) {
            // Largest block aligned at `port`; port 0 is aligned to every size up to 2^16.
            int size = port == 0 ? MAX_PORT + 1 : Integer.lowestOneBit(port);
            while (port + size - 1 > end) {
                size >>>= 1;
            }
            out.add(new PortMask(port, MAX_PORT & ~(size - 1)));
            port += size;
        }
        return List.copyOf(out);
    }
}
