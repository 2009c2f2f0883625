package io.ovsanp.compiler.flow;

/** An OpenFlow table number, 0..253 (254 is internal to OVS, 255 means "all"). */
public record TableId(int value) implements Comparable<TableId> {
    public TableId {
        if (value < 0 || value > 253) {
            throw new IllegalArgumentException("table id out of range 0..253: " + value);
        }
    }

    private static final TableId[] CACHE = new TableId[254];

    public static TableId of(int value) {
        if (value < 0 || value > 253) {
            return new TableId(value); // throws with the message
        }
        TableId t = CACHE[value];
        if (t == null) {
            t = new TableId(value);
            CACHE[value] = t;
        }
        return t;
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
