package io.ovsanp.compiler.flow;

/** An OpenFlow flow priority: an unsigned 16-bit value, kept in an int so arithmetic cannot wrap. */
public record Priority(int value) implements Comparable<Priority> {
    public static final int MAX = 0xffff;

    public Priority {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("priority out of range 0..65535: " + value);
        }
    }

    /** One instance per value once used: a controller holds millions of flows (docs/benchmarks.md). */
    private static final Priority[] CACHE = new Priority[MAX + 1];

    public static Priority of(int value) {
        if (value < 0 || value > MAX) {
            return new Priority(value); // throws with the message
        }
        Priority p = CACHE[value];
        if (p == null) {
            p = new Priority(value); // a racing thread may make another: equal, harmless
            CACHE[value] = p;
        }
        return p;
    }

    @Override
    public int compareTo(Priority o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
