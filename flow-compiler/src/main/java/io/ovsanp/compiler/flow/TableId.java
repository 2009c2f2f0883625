package io.ovsanp.compiler.flow;

/** An OpenFlow table number, 0..253 (254 is internal to OVS, 255 means "all"). */
public record TableId(int value) implements Comparable<TableId> {
    public TableId {
        if (value < 0 || value > 253) {
            throw new IllegalArgumentException("table id out of range 0..253: " + value);
        }
    }

    public static TableId of(int value) {
        return new TableId(value);
    }

    @Override
    public int compareTo(TableId o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
