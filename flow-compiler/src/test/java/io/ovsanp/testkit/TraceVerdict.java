package io.ovsanp.testkit;

import java.util.List;

/**
 * The final datapath actions of an {@code ofproto/trace}, with the whole trace for messages.
 *
 * <p>A trace through {@code ct(table=…)} prints one {@code Datapath actions:} line per pass: the
 * first pass ends in {@code ct(zone=…),recirc(0x…)}, and only the last line is the packet's fate.
 * {@code drop} means dropped; anything else (an output port, {@code ct(commit,…),1}) means it left.
 */
public record TraceVerdict(String datapathActions, String trace) {
    private static final String PREFIX = "Datapath actions:";

    /** Reads the last {@code Datapath actions:} line of {@code trace}. */
    public static TraceVerdict parse(String trace) {
        List<String> lines = trace.lines()
                .map(String::strip)
                .filter(l -> l.startsWith(PREFIX))
                .toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no '" + PREFIX + "' line in trace:\n" + trace);
        }
        return new TraceVerdict(
                lines.get(lines.size() - 1).substring(PREFIX.length()).strip(), trace);
    }

    public boolean dropped() {
        return datapathActions.equals("drop");
    }

    @Override
    public String toString() {
        return "Datapath actions: " + datapathActions + "\n--- trace ---\n" + trace;
    }
}
