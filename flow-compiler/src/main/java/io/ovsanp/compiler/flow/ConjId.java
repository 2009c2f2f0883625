package io.ovsanp.compiler.flow;

/** A conjunction id: unsigned 32-bit, unique per table (ovs-fields(7), Conjunctive Match Fields). */
public record ConjId(long value) implements Comparable<ConjId> {
    public ConjId {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException("conjunction id out of range: " + value);
        }
    }

    @Override
    public int compareTo(ConjId o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
