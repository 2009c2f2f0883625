package io.ovsanp.controller.metrics;

import java.util.Arrays;

/** A Prometheus histogram of seconds: cumulative buckets by upper bound, sum and count. Thread-safe. */
final class Histogram {
    /** 1 ms .. 30 s: a reconcile or compile is milliseconds, a 100k-flow bundle about a second. */
    static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final double[] bounds;
    private final long[] counts;
    private double sum;
    private long count;

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(bounds));
            }
        }
        this.counts = new long[bounds.length];
    }

    synchronized void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                counts[i]++;
            }
        }
        sum += value;
        count++;
    }

    /** Appends the {@code _bucket}, {@code _sum} and {@code _count} lines of {@code name}. */
    synchronized void render(StringBuilder out, String name) {
        for (int i = 0; i < bounds.length; i++) {
            Exposition.sample(
                    out, name + "_bucket", new String[] {"le"}, new String[] {Exposition.number(bounds[i])}, counts[i]);
        }
        Exposition.sample(out, name + "_bucket", new String[] {"le"}, new String[] {"+Inf"}, count);
        Exposition.sample(out, name + "_sum", new String[0], new String[0], sum);
        Exposition.sample(out, name + "_count", new String[0], new String[0], count);
    }
}
