package io.ovsanp.compiler.net;

import java.util.Arrays;

/**
 * Text form of {@link IpAddress}: the strict parser and the glibc-compatible printer.
 *
 * <p>Parsing follows Go's {@code net/netip.ParseAddr}, the strict form that Kubernetes IP
 * validation moves to with KEP-4858 (no leading zeros, no zones); whether IPv4-mapped IPv6 input
 * is acceptable in a given API field is the caller's decision. Printing follows glibc {@code inet_ntop}, which
 * OVS uses to print IPv6 match fields, so golden {@code ovs-ofctl} text compares byte for byte
 * (checked against {@code ovs-ofctl parse-flow} of OVS 3.1.0, including {@code ::0.1.0.0}).
 */
final class IpText {

    private IpText() {}

    static IpAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid IP address: null");
        }
        if (text.isEmpty()) {
            throw invalid(text, "empty string");
        }
        if (text.indexOf('%') >= 0) {
            throw invalid(text, "zone ids are not supported");
        }
        if (text.indexOf(':') >= 0) {
            return parseV6(text);
        }
        return IpAddress.v4(parseV4(text, 0, text));
    }

    /**
     * Parses {@code text.substring(from)} as a dotted quad; {@code whole} is the full input for
     * error messages (the quad may be the tail of an IPv6 address).
     */
    private static int parseV4(String text, int from, String whole) {
        int value = 0;
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int octet = 0;
            while (i < text.length() && isDigit(text.charAt(i)) && i - start < 3) {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                throw invalid(whole, "IPv4 octet " + (octets + 1) + " is empty or not a decimal number");
            }
            if (i < text.length() && isDigit(text.charAt(i))) {
                throw invalid(whole, "IPv4 octet " + (octets + 1) + " has more than three digits");
            }
            if (text.charAt(start) == '0' && i - start > 1) {
                throw invalid(
                        whole,
                        "IPv4 octet \"" + text.substring(start, i) + "\" has a leading zero (octal is ambiguous)");
            }
            if (octet > 255) {
                throw invalid(whole, "IPv4 octet " + octet + " is greater than 255");
            }
            value = (value << 8) | octet;
            octets++;
            if (octets == 4) {
                if (i != text.length()) {
                    throw invalid(whole, "unexpected " + describe(text.charAt(i)) + " after the fourth IPv4 octet");
                }
                return value;
            }
            if (i == text.length()) {
                throw invalid(whole, "IPv4 address has " + octets + " octets, expected 4");
            }
            if (text.charAt(i) != '.') {
                throw invalid(whole, "unexpected " + describe(text.charAt(i)) + " in IPv4 address");
            }
            i++;
        }
    }

    private static IpAddress parseV6(String text) {
        int[] groups = new int[8];
        int n = 0;
        int ellipsis = -1; // index in groups where "::" stands, or -1
        int len = text.length();
        int i = 0;
        if (text.startsWith("::")) {
            ellipsis = 0;
            i = 2;
        } else if (text.charAt(0) == ':') {
            throw invalid(text, "leading single ':'");
        }
        while (i < len) {
            int end = text.indexOf(':', i);
            if (end < 0) {
                end = len;
            }
            if (end == i) {
                throw invalid(text, "empty group (\":::\" or a second \"::\")");
            }
            if (text.lastIndexOf('.', end - 1) >= i) {
                if (end != len) {
                    throw invalid(text, "an embedded IPv4 address must be the last part");
                }
                if (n > 6) {
                    throw invalid(text, "too many groups before the embedded IPv4 address");
                }
                int v4 = parseV4(text, i, text);
                groups[n++] = v4 >>> 16;
                groups[n++] = v4 & 0xffff;
                break;
            }
            if (end - i > 4) {
                throw invalid(text, "group \"" + text.substring(i, end) + "\" has more than four hex digits");
            }
            if (n == 8) {
                throw invalid(text, "more than eight groups");
            }
            groups[n++] = parseHexGroup(text, i, end);
            i = end;
            if (i == len) {
                break;
            }
            i++; // the ':'
            if (i == len) {
                throw invalid(text, "trailing single ':'");
            }
            if (text.charAt(i) == ':') {
                if (ellipsis >= 0) {
                    throw invalid(text, "more than one \"::\"");
                }
                ellipsis = n;
                i++;
            }
        }
        if (ellipsis < 0) {
            if (n != 8) {
                throw invalid(text, "has " + n + " groups, expected 8 (or \"::\")");
            }
        } else {
            if (n == 8) {
                throw invalid(text, "\"::\" must stand for at least one zero group");
            }
            int tail = n - ellipsis;
            System.arraycopy(groups, ellipsis, groups, 8 - tail, tail);
            Arrays.fill(groups, ellipsis, 8 - tail, 0);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | groups[g];
            lo = (lo << 16) | groups[g + 4];
        }
        return IpAddress.v6(hi, lo);
    }

    private static int parseHexGroup(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = hexDigit(text.charAt(i));
            if (d < 0) {
                throw invalid(text, "unexpected " + describe(text.charAt(i)) + " in IPv6 group");
            }
            value = value * 16 + d;
        }
        return value;
    }

    static String format(IpAddress address) {
        if (address.family() == IpFamily.V4) {
            return formatV4((int) address.lo());
        }
        int[] words = new int[8];
        for (int g = 0; g < 4; g++) {
            words[g] = (int) (address.hi() >>> (48 - 16 * g)) & 0xffff;
            words[g + 4] = (int) (address.lo() >>> (48 - 16 * g)) & 0xffff;
        }
        // Longest run of zero words, leftmost on ties; a single zero word is not compressed.
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            // glibc prints a dotted tail for IPv4-compatible (::a.b.c.d, exactly six leading zero
            // words) and IPv4-mapped (::ffff:a.b.c.d) addresses; OVS inherits this.
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                sb.append(formatV4((int) address.lo()));
                return sb.toString();
            }
            sb.append(Integer.toHexString(words[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    private static String formatV4(int bits) {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }

    /** ASCII hex only: {@link Character#digit} would also accept non-ASCII digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String describe(char c) {
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static Invalid invalid(String text, String reason) {
        return new Invalid(text, reason);
    }

    /**
     * A malformed address. The message names the text and the reason; {@link #reason()} alone lets
     * a caller that names the text itself (a CIDR) say each thing once.
     */
    static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Invalid(String text, String reason) {
            super("invalid IP address \"" + text + "\": " + reason);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }
}
