package io.ovsanp.compiler.ofctl;

import java.util.Locale;
import java.util.Map;

/**
 * OpenFlow 1.3 port numbers (32-bit, OpenFlow 1.3 §7.2.1) and the reserved-port names ovs-ofctl
 * prints. OVS maps OF1.3 ports onto 16 bits, so physical ports end at 0xfeff.
 */
final class OfctlPorts {
    static final long MAX_PHYSICAL = 0xfeff;
    static final long IN_PORT = 0xffff_fff8L;
    static final long NORMAL = 0xffff_fffaL;
    static final long FLOOD = 0xffff_fffbL;
    static final long ALL = 0xffff_fffcL;
    static final long LOCAL = 0xffff_fffeL;

    private static final Map<String, Long> BY_NAME =
            Map.of("IN_PORT", IN_PORT, "NORMAL", NORMAL, "FLOOD", FLOOD, "ALL", ALL, "LOCAL", LOCAL);

    private OfctlPorts() {}

    /** The name ovs-ofctl prints for a reserved port this module supports, or null. */
    static String name(long port) {
        for (Map.Entry<String, Long> e : BY_NAME.entrySet()) {
            if (e.getValue() == port) {
                return e.getKey();
            }
        }
        return null;
    }

    static boolean isName(String text) {
        return BY_NAME.containsKey(text.toUpperCase(Locale.ROOT));
    }

    /** {@code LOCAL} etc. by name (any case), else a decimal physical port. */
    static long parse(String text) {
        Long named = BY_NAME.get(text.toUpperCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        if (!OfctlNumbers.isDigits(text)) {
            throw new IllegalArgumentException("not a port: " + text);
        }
        return checkPhysical(OfctlNumbers.parseUnsigned(text, MAX_PHYSICAL));
    }

    /** {@code in_port=}: LOCAL or a decimal physical port. */
    static long parseInPort(String text) {
        if (text.equalsIgnoreCase("LOCAL")) {
            return LOCAL;
        }
        if (!OfctlNumbers.isDigits(text)) {
            throw new IllegalArgumentException("in_port must be LOCAL or a decimal port: " + text);
        }
        return OfctlNumbers.parseUnsigned(text, MAX_PHYSICAL);
    }

    static long checkPhysical(long port) {
        if (port < 0 || port > MAX_PHYSICAL) {
            throw new IllegalArgumentException("port out of range 0..0xfeff: " + port);
        }
        return port;
    }

    /** How {@code in_port=} is written: LOCAL by name (65534 is deprecated in OVS), else decimal. */
    static String formatInPort(long port) {
        if (port == LOCAL) {
            return "LOCAL";
        }
        return Long.toString(checkPhysical(port));
    }
}
