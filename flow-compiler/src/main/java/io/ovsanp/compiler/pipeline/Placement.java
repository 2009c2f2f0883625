package io.ovsanp.compiler.pipeline;

import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where ovs-anp's stage sits in a switch's tables, and what it may use there (docs/cni-integration.md).
 * Standalone ({@link #STANDALONE}) owns tables 0..7 of a bridge; in CNI-integration mode the CNI
 * hands packets to {@code firstTable} (with {@code goto_table} or {@code resubmit}) and gets the
 * allowed ones back through {@code exit}.
 *
 * @param firstTable the first table ovs-anp writes
 * @param maxTables how many tables from {@code firstTable} ovs-anp may use
 * @param reservedTables tables ovs-anp must never write (the CNI's)
 * @param exit what an allowed packet (and every packet the stage does not judge) does last
 * @param conntrack whether ovs-anp sends packets through conntrack itself or reads the CNI's state
 * @param zone the conntrack zone: ovs-anp's own, or the CNI's zone whose state it reads and commits
 * @param identityRegister when present, subject pods are recognised by this register (reg0..reg7),
 *     which the CNI's spoof guard fills per ingress port with the pod's IPv4 address, instead of by
 *     the packet's source address (which a pod can forge)
 */
public record Placement(
        int firstTable,
        int maxTables,
        SortedSet<Integer> reservedTables,
        Exit exit,
        Conntrack conntrack,
        int zone,
        Optional<Integer> identityRegister) {

    /** The highest table OpenFlow lets a flow live in (254 is OVS-internal, 255 means "all"). */
    public static final int LAST_TABLE = 253;
    /** Tables the stage needs: with its own conntrack zone table, and reading the CNI's conntrack state. */
    public static final int TABLES_OWN_CONNTRACK = 11;

    public static final int TABLES_CNI_CONNTRACK = 10;

    /** The standalone pipeline: tables 0..10, own conntrack zone 65000, exit NORMAL, identity by IP. */
    public static final Placement STANDALONE = new Placement(
            0,
            TABLES_OWN_CONNTRACK,
            new TreeSet<>(),
            Exit.NORMAL,
            Conntrack.OWN,
            PipelineSpec.DEFAULT_ZONE,
            Optional.empty());

    /** Who runs conntrack for the stage. */
    public enum Conntrack {
        /** ovs-anp's own {@code ct(zone=Z)} stage before the policy tables. */
        OWN,
        /** The CNI already ran {@code ct(zone=Z)}; ovs-anp reads {@code ct_state} and commits in Z. */
        CNI
    }

    /** The stage's way out. */
    public sealed interface Exit {
        Exit NORMAL = new Normal();

        /** {@code actions=NORMAL}: the bridge forwards as a learning switch (standalone). */
        record Normal() implements Exit {
            @Override
            public String toString() {
                return "normal";
            }
        }

        /** {@code goto_table:N}: OpenFlow only moves forward, so N is after the stage. */
        record Goto(int table) implements Exit {
            @Override
            public String toString() {
                return "goto:" + table;
            }
        }

        /** {@code resubmit(,N)}: back into the CNI's pipeline, any table outside the stage. */
        record Resubmit(int table) implements Exit {
            @Override
            public String toString() {
                return "resubmit:" + table;
            }
        }

        /** Parses {@code normal}, {@code goto:N} or {@code resubmit:N}. */
        static Exit parse(String text) {
            String t = text.trim();
            if (t.equals("normal")) {
                return NORMAL;
            }
            int colon = t.indexOf(':');
            if (colon > 0) {
                String kind = t.substring(0, colon);
                int n = parseTable(t.substring(colon + 1), "exit table");
                if (kind.equals("goto")) {
                    return new Goto(n);
                }
                if (kind.equals("resubmit")) {
                    return new Resubmit(n);
                }
            }
            throw new PlacementException("exit \"" + text + "\": expected normal, goto:N or resubmit:N");
        }
    }

    /** A placement that cannot work, with a message naming the setting at fault. */
    public static final class PlacementException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public PlacementException(String message) {
            super(message);
        }
    }

    public Placement {
        reservedTables = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(reservedTables));
        identityRegister = identityRegister == null ? Optional.empty() : identityRegister;
        validate(firstTable, maxTables, reservedTables, exit, conntrack, zone, identityRegister);
    }

    /** Tables the stage needs: conntrack zone stage only when ovs-anp runs conntrack itself. */
    public int tablesNeeded() {
        return conntrack == Conntrack.OWN ? TABLES_OWN_CONNTRACK : TABLES_CNI_CONNTRACK;
    }

    public int lastTable() {
        return firstTable + tablesNeeded() - 1;
    }

    public boolean standalone() {
        return equals(STANDALONE);
    }

    private static void validate(
            int first,
            int max,
            Set<Integer> reserved,
            Exit exit,
            Conntrack conntrack,
            int zone,
            Optional<Integer> register) {
        if (exit == null || conntrack == null) {
            throw new PlacementException("exit and conntrack must be set");
        }
        if (first < 0 || first > LAST_TABLE) {
            throw new PlacementException("first table " + first + " is outside 0.." + LAST_TABLE);
        }
        int needed = conntrack == Conntrack.OWN ? TABLES_OWN_CONNTRACK : TABLES_CNI_CONNTRACK;
        if (max < needed) {
            throw new PlacementException("the stage needs " + needed + " tables (" + describe(conntrack)
                    + ") but may use only " + max + " (max tables)");
        }
        int last = first + needed - 1;
        if (last > LAST_TABLE) {
            throw new PlacementException(
                    "the stage needs tables " + first + ".." + last + ", beyond table " + LAST_TABLE);
        }
        for (int t : reserved) {
            if (t < 0 || t > LAST_TABLE) {
                throw new PlacementException("reserved table " + t + " is outside 0.." + LAST_TABLE);
            }
            if (t >= first && t <= last) {
                throw new PlacementException("the stage's tables " + first + ".." + last + " overlap reserved table "
                        + t + " (a table ovs-anp was told it may not use)");
            }
        }
        if (exit instanceof Exit.Goto g) {
            if (g.table() <= last) {
                throw new PlacementException(
                        "exit goto:" + g.table() + " is backward or into the stage: goto_table only"
                                + " moves forward, so the exit must be after the stage's last table " + last
                                + " (use resubmit:N to go back into the CNI's pipeline)");
            }
            checkRange(g.table(), "exit table");
        } else if (exit instanceof Exit.Resubmit r) {
            checkRange(r.table(), "exit table");
            if (r.table() >= first && r.table() <= last) {
                throw new PlacementException("exit resubmit:" + r.table() + " re-enters the stage (tables " + first
                        + ".." + last + "): a loop");
            }
        }
        if (zone < 0 || zone > 0xffff) {
            throw new PlacementException("conntrack zone " + zone + " is outside 0..65535");
        }
        if (register.isPresent() && (register.get() < 0 || register.get() > 7)) {
            throw new PlacementException("identity register reg" + register.get() + ": only reg0..reg7 exist");
        }
    }

    private static String describe(Conntrack c) {
        return c == Conntrack.OWN ? "with its own conntrack stage" : "reading the CNI's conntrack state";
    }

    private static void checkRange(int table, String what) {
        if (table < 0 || table > LAST_TABLE) {
            throw new PlacementException(what + " " + table + " is outside 0.." + LAST_TABLE);
        }
    }

    static int parseTable(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new PlacementException(what + " \"" + text + "\" is not a number");
        }
    }

    /** Parses {@code "0-9,40,50-60"} (empty: none). */
    public static SortedSet<Integer> parseTables(String text) {
        SortedSet<Integer> out = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            int lo = parseTable(dash < 0 ? p : p.substring(0, dash), "reserved table");
            int hi = dash < 0 ? lo : parseTable(p.substring(dash + 1), "reserved table");
            if (hi < lo || lo < 0 || hi > LAST_TABLE) {
                throw new PlacementException(
                        "reserved tables \"" + p + "\": expected N or N-M within 0.." + LAST_TABLE);
            }
            for (int t = lo; t <= hi; t++) {
                out.add(t);
            }
        }
        return out;
    }

    /** Parses an exit: {@code normal}, {@code goto:N} or {@code resubmit:N}. */
    public static Exit parseExit(String text) {
        return Exit.parse(text);
    }

    /** Parses {@code ip} (identity by source address) or {@code reg0}..{@code reg7}. */
    public static Optional<Integer> parseIdentity(String text) {
        String t = text.trim();
        if (t.equals("ip")) {
            return Optional.empty();
        }
        if (t.matches("reg[0-9]+")) {
            int n = Integer.parseInt(t.substring(3));
            if (n <= 7) {
                return Optional.of(n);
            }
        }
        throw new PlacementException("source identity \"" + text + "\": expected ip or reg0..reg7");
    }
}
