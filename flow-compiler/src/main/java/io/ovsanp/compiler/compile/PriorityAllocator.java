package io.ovsanp.compiler.compile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each rule of a table a unique OpenFlow priority in {@code [lo, hi]}, strictly decreasing in
 * precedence order, with gaps for later inserts. Earlier assignments are kept where they still fit the
 * order (the longest run of previous priorities that is still decreasing is kept; new and displaced
 * rules go into the gaps); only when a gap is too small is the whole table re-numbered, which the
 * caller applies in the same atomic bundle. Arithmetic is in {@code long} and every result is
 * range-checked: a priority that wrapped around would invert precedence.
 */
public final class PriorityAllocator {
    private PriorityAllocator() {}

    /**
     * @param keys rules in precedence order, highest first
     * @param previous earlier priorities by key (others are ignored)
     * @return priority by key, or throws {@link IllegalArgumentException} when the keys cannot fit
     */
    public static Map<String, Integer> allocate(List<String> keys, Map<String, Integer> previous, int lo, int hi) {
        long capacity = (long) hi - lo + 1;
        if (keys.size() > capacity) {
            throw new IllegalArgumentException(keys.size() + " rules do not fit in priorities " + lo + ".." + hi);
        }
        int n = keys.size();
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            Integer p = previous.get(keys.get(i));
            prev[i] = p == null || p < lo || p > hi ? -1 : p;
        }
        boolean[] keep = longestDecreasing(prev);
        Map<String, Integer> out = new HashMap<>();
        int i = 0;
        long above = (long) hi + 1;
        while (i < n) {
            if (keep[i]) {
                out.put(keys.get(i), prev[i]);
                above = prev[i];
                i++;
                continue;
            }
            int j = i;
            while (j < n && !keep[j]) j++;
            long below = j < n ? prev[j] : (long) lo - 1;
            long run = (long) j - i;
            if (above - below - 1 < run) {
                return fresh(keys, lo, hi);
            }
            for (int k = 0; k < run; k++) {
                long p = above - (k + 1) * (above - below) / (run + 1);
                out.put(keys.get(i + k), checked(p, lo, hi));
            }
            i = j;
        }
        return ordered(keys, out);
    }

    /** Evenly spaced priorities, ignoring any history. */
    public static Map<String, Integer> fresh(List<String> keys, int lo, int hi) {
        Map<String, Integer> out = new HashMap<>();
        long n = keys.size();
        long span = (long) hi - lo + 2;
        for (int k = 0; k < n; k++) {
            long p = (long) hi + 1 - (k + 1) * span / (n + 1);
            out.put(keys.get(k), checked(p, lo, hi));
        }
        return ordered(keys, out);
    }

    private static Map<String, Integer> ordered(List<String> keys, Map<String, Integer> m) {
        Map<String, Integer> out = new LinkedHashMap<>();
        long last = Long.MAX_VALUE;
        for (String k : keys) {
            int p = m.get(k);
            if (p >= last) {
                throw new IllegalStateException("priorities not strictly decreasing at " + k);
            }
            last = p;
            out.put(k, p);
        }
        return out;
    }

    private static int checked(long p, int lo, int hi) {
        if (p < lo || p > hi) {
            throw new IllegalStateException("priority " + p + " outside " + lo + ".." + hi);
        }
        return (int) p;
    }

    /** Marks a longest strictly decreasing subsequence of the non-negative entries (O(n log n)). */
    static boolean[] longestDecreasing(int[] prev) {
        int n = prev.length;
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (prev[i] >= 0) idx.add(i);
        }
        int m = idx.size();
        int[] tailVal = new int[m];
        int[] tailIdx = new int[m];
        int[] parent = new int[n];
        Arrays.fill(parent, -1);
        int len = 0;
        for (int i : idx) {
            int v = -prev[i];
            int a = 0;
            int b = len;
            while (a < b) {
                int mid = (a + b) >>> 1;
                if (tailVal[mid] < v) a = mid + 1;
                else b = mid;
            }
            tailVal[a] = v;
            tailIdx[a] = i;
            parent[i] = a > 0 ? tailIdx[a - 1] : -1;
            if (a == len) len++;
        }
        boolean[] keep = new boolean[n];
        for (int i = len > 0 ? tailIdx[len - 1] : -1; i >= 0; i = parent[i]) {
            keep[i] = true;
        }
        return keep;
    }
}
