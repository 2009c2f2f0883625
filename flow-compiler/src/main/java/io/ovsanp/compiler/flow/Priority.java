package io.ovsanp.compiler.flow;

/** An OpenFlow flow priority: an unsigned 16-bit value, kept in an int so arithmetic cannot wrap. */
public record Priority(int value) implements Comparable<Priority> {
    public static final int MAX = 0xffff;

    public Priority {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("priority out of range 0..65535: " + value);
        }
    }

    public static Priority of(int value) {
        return new Priority(value);
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
