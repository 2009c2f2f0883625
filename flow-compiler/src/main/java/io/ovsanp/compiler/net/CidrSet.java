package io.ovsanp.compiler.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Set operations on lists of prefixes, used to keep one flow per maximal block: docs/architecture.md
 * "Address and port normalisation" asks for no flow whose prefix another in the same clause
 * covers, and {@code ipBlock.except} (NetworkPolicy API) is compiled by subtraction.
 *
 * <p>Results are sorted ({@link Cidr#compareTo}), pairwise disjoint and minimal: no two entries
 * are the halves of one block, so no shorter list of prefixes has the same membership.
 */
public final class CidrSet {

    private CidrSet() {}

    /**
     * The minimal sorted list with the same membership as {@code cidrs}: duplicates and covered
     * prefixes are dropped and sibling halves merged until none remain. IPv4 and IPv6 entries may
     * be mixed; they are aggregated separately and IPv4 sorts first.
     *
     * <p>O(n log n): one sort, then a single pass with a stack. Because sorted prefixes are either
     * nested or disjoint, only the stack top can cover the next entry, and a merge can only
     * cascade with the entries directly below it.
     */
    public static List<Cidr> aggregate(Collection<Cidr> cidrs) {
        List<Cidr> sorted = new ArrayList<>(cidrs);
        sorted.forEach(c -> Objects.requireNonNull(c, "cidr"));
        sorted.sort(null);
        ArrayList<Cidr> stack = new ArrayList<>(sorted.size());
        for (Cidr next : sorted) {
            if (!stack.isEmpty() && top(stack).contains(next)) {
                continue;
            }
            Cidr merged = next;
            while (!stack.isEmpty() && top(stack).isLowerSiblingOf(merged)) {
                stack.remove(stack.size() - 1);
                merged = merged.parent();
            }
            stack.add(merged);
        }
        return List.copyOf(stack);
    }

    /**
     * The minimal sorted list covering {@code base} minus every address in {@code except}, as for
     * {@code ipBlock: {cidr: base, except: [...]}}. Excepts of the other family or outside {@code
     * base} remove nothing; an except that covers {@code base} leaves nothing. Validating that each
     * except lies inside the base is the caller's job (it is a user error, reported as a
     * diagnostic).
     *
     * <p>Cost is O(k · w) for k aggregated excepts and address width w: each except is visited
     * once per level of halving between {@code base} and the except.
     */
    public static List<Cidr> subtract(Cidr base, Collection<Cidr> except) {
        Objects.requireNonNull(base, "base");
        List<Cidr> inside = new ArrayList<>();
        for (Cidr e : aggregate(except)) {
            if (e.contains(base)) {
                return List.of();
            }
            if (base.contains(e)) {
                inside.add(e);
            }
        }
        List<Cidr> out = new ArrayList<>();
        subtract(base, inside, 0, inside.size(), out);
        return List.copyOf(out);
    }

    /**
     * Adds {@code block} minus {@code excepts[from, to)} to {@code out} in order. The excepts are
     * sorted, disjoint and strictly inside {@code block}, or exactly equal to it.
     */
    private static void subtract(Cidr block, List<Cidr> excepts, int from, int to, List<Cidr> out) {
        if (from == to) {
            out.add(block);
            return;
        }
        if (excepts.get(from).equals(block)) {
            return;
        }
        Cidr lower = block.lowerHalf();
        Cidr upper = block.upperHalf();
        int split = from;
        while (split < to && lower.contains(excepts.get(split))) {
            split++;
        }
        subtract(lower, excepts, from, split, out);
        subtract(upper, excepts, split, to, out);
    }

    /** True when some entry of {@code cidrs} contains {@code address}. Linear; any order. */
    public static boolean contains(List<Cidr> cidrs, IpAddress address) {
        Objects.requireNonNull(address, "address");
        for (Cidr c : cidrs) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Cidr top(List<Cidr> stack) {
        return stack.get(stack.size() - 1);
    }
}
