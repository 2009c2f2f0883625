package io.ovsanp.controller.openflow.wire;

import java.util.HexFormat;
import java.util.Locale;

/** A switch's 64-bit datapath id (OpenFlow 1.3 §7.3.1, {@code ofp_switch_features}). */
public record DatapathId(long value) {
    /**
     * Reads a datapath id as people copy it: the 16 hex digits {@code ovs-ofctl show} prints
     * ({@code 0000000000000a01}), optionally after {@code 0x} or {@code dpid:}, optionally in the
     * double quotes {@code ovs-vsctl get bridge br-int datapath_id} prints, or as 8 colon-separated
     * bytes ({@code 00:00:00:00:00:00:0a:01}); any case, surrounding blanks ignored. Fewer digits are
     * refused: {@code 123} could be meant as decimal, and a misread id would match another switch.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static DatapathId parse(String text) {
        String s = text.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("0x")) {
            s = s.substring(2);
        } else if (lower.startsWith("dpid:")) {
            s = s.substring(5);
        }
        if (s.length() == 23 && s.indexOf(':') == 2) {
            StringBuilder digits = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                if (i > 0 && s.charAt(3 * i - 1) != ':') {
                    throw bad(text);
                }
                digits.append(s, 3 * i, 3 * i + 2);
            }
            s = digits.toString();
        }
        if (s.length() != 16 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw bad(text);
        }
        return new DatapathId(HexFormat.fromHexDigitsToLong(s));
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("not a datapath id: \"" + text
                + "\" (expected 16 hex digits as ovs-ofctl show prints them, e.g. 0000000000000a01,"
                + " optionally with 0x, or 8 colon-separated bytes such as 00:00:00:00:00:00:0a:01)");
    }

    /** 16 hex digits, as {@code ovs-ofctl show} prints it. */
    @Override
    public String toString() {
        return String.format("%016x", value);
    }
}
