package io.ovsanp.compiler.ofctl;

import java.math.BigInteger;

/** Number spellings of ovs-ofctl: C's {@code %#x} for registers and marks, decimal or hex input. */
final class OfctlNumbers {
    private OfctlNumbers() {}

    /** C {@code printf("%#x")}: {@code 0} for zero, {@code 0x2a} otherwise (how OVS prints reg0). */
    static String hexC(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    /** Always {@code 0x}-prefixed hex, as OVS prints masked 16-bit fields ({@code 0x0/0x1}). */
    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /**
     * Parses a decimal or {@code 0x} hex unsigned number no larger than {@code max}.
     *
     * @throws IllegalArgumentException naming the text
     */
    static long parseUnsigned(String text, long max) {
        BigInteger v = parseBig(text);
        if (v.bitLength() > 63 || v.longValue() > max) {
            throw new IllegalArgumentException("number out of range (max " + max + "): " + text);
        }
        return v.longValue();
    }

    /** Parses a 64-bit unsigned number (a cookie) into a long with the same bits. */
    static long parseUnsigned64(String text) {
        BigInteger v = parseBig(text);
        if (v.bitLength() > 64) {
            throw new IllegalArgumentException("number wider than 64 bits: " + text);
        }
        return v.longValue();
    }

    /** One or more ASCII digits (a cheap {@code matches("[0-9]+")}: the parser runs it per token). */
    static boolean isDigits(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** One or more hexadecimal digits. */
    static boolean isHex(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') return false;
        }
        return true;
    }

    private static BigInteger parseBig(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                String digits = t.substring(2);
                if (!isHex(digits)) {
                    throw new NumberFormatException();
                }
                return new BigInteger(digits, 16);
            }
            if (!isDigits(t)) {
                throw new NumberFormatException();
            }
            return new BigInteger(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: \"" + text + "\"", e);
        }
    }
}
