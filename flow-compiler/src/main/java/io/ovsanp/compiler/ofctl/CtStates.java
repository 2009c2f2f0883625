package io.ovsanp.compiler.ofctl;

import java.util.List;
import java.util.Locale;

/**
 * The {@code ct_state} bits and their ovs-ofctl spellings (ovs-fields(7), "Connection Tracking
 * Fields"). OVS 3.1 supports exactly these eight bits; a mask with any other bit is refused by
 * ovs-ofctl ("unknown ct_state flag(s)").
 */
public final class CtStates {
    public static final int NEW = 0x01;
    public static final int EST = 0x02;
    public static final int REL = 0x04;
    public static final int RPL = 0x08;
    public static final int INV = 0x10;
    public static final int TRK = 0x20;
    public static final int SNAT = 0x40;
    public static final int DNAT = 0x80;

    /** Every bit OVS 3.1 knows; a match whose mask is exactly this prints as {@code new|trk}. */
    public static final int SUPPORTED = 0xff;

    /** Flag names in bit order, which is also the order ovs-ofctl prints them in. */
    static final List<String> NAMES = List.of("new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat");

    private CtStates() {}

    /**
     * The match value as dump-flows prints it: {@code +new+trk} / {@code -new+est+trk} for a partial
     * mask, {@code new|trk} (or {@code 0}) when the mask is {@link #SUPPORTED}.
     */
    public static String formatMatch(int value, int mask) {
        checkBits(value | mask);
        StringBuilder b = new StringBuilder();
        if (mask == SUPPORTED) {
            for (int i = 0; i < NAMES.size(); i++) {
                if ((value & (1 << i)) != 0) {
                    b.append(b.length() == 0 ? "" : "|").append(NAMES.get(i));
                }
            }
            return b.length() == 0 ? "0" : b.toString();
        }
        for (int i = 0; i < NAMES.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                b.append((value & (1 << i)) != 0 ? '+' : '-').append(NAMES.get(i));
            }
        }
        return b.toString();
    }

    /**
     * Parses a ct_state match in any form ovs-ofctl accepts for these bits: {@code +trk-new},
     * {@code new|trk}, {@code 0}, {@code 0x21/0x21}, {@code 0x21}. Returns {@code {value, mask}}.
     */
    public static int[] parseMatch(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty ct_state");
        }
        char c0 = t.charAt(0);
        if (c0 == '+' || c0 == '-') {
            return parseSigned(t);
        }
        if (Character.isDigit(c0)) {
            int slash = t.indexOf('/');
            long value = OfctlNumbers.parseUnsigned(slash < 0 ? t : t.substring(0, slash), 0xffL);
            long mask = slash < 0 ? SUPPORTED : OfctlNumbers.parseUnsigned(t.substring(slash + 1), 0xffL);
            checkBits((int) (value | mask));
            return new int[] {(int) (value & mask), (int) mask};
        }
        int value = 0;
        for (String name : t.split("\\|", -1)) {
            value |= bit(name);
        }
        return new int[] {value, SUPPORTED};
    }

    /** Parses a packet state such as {@code +trk+est} or {@code trk|est}: the set bits. */
    public static int parseState(String text) {
        String t = text.trim();
        if (!t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-')) {
            return parseSigned(t)[0];
        }
        return parseMatch(t)[0];
    }

    /** A packet state in {@code +trk+est} form, {@code 0} when no bit is set. */
    public static String formatState(int state) {
        return state == 0 ? "0" : formatMatch(state, state);
    }

    private static int[] parseSigned(String t) {
        int value = 0;
        int mask = 0;
        int i = 0;
        while (i < t.length()) {
            char sign = t.charAt(i);
            if (sign != '+' && sign != '-') {
                throw new IllegalArgumentException("ct_state flags need + or -: " + t);
            }
            int j = i + 1;
            while (j < t.length() && t.charAt(j) != '+' && t.charAt(j) != '-') {
                j++;
            }
            int b = bit(t.substring(i + 1, j));
            if ((mask & b) != 0) {
                throw new IllegalArgumentException("ct_state flag given twice: " + t);
            }
            mask |= b;
            value |= sign == '+' ? b : 0;
            i = j;
        }
        return new int[] {value, mask};
    }

    private static int bit(String name) {
        int i = NAMES.indexOf(name.toLowerCase(Locale.ROOT));
        if (i < 0) {
            throw new IllegalArgumentException("unknown ct_state flag: " + name);
        }
        return 1 << i;
    }

    private static void checkBits(int bits) {
        if ((bits & ~SUPPORTED) != 0) {
            throw new IllegalArgumentException("ct_state bits outside 0xff: 0x" + Integer.toHexString(bits));
        }
    }
}
