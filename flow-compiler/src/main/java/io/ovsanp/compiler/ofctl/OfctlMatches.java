package io.ovsanp.compiler.ofctl;

import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Parses match tokens ({@code tcp}, {@code nw_dst=10.0.0.0/8}, {@code reg0=0x5/0xff}, ...) into a {@link Match}. */
final class OfctlMatches {
    /** Protocol keywords: {dl_type, nw_proto or -1}. */
    private static final Map<String, int[]> KEYWORDS = Map.ofEntries(
            Map.entry("ip", new int[] {0x0800, -1}),
            Map.entry("ipv6", new int[] {0x86dd, -1}),
            Map.entry("icmp", new int[] {0x0800, 1}),
            Map.entry("icmp6", new int[] {0x86dd, 58}),
            Map.entry("tcp", new int[] {0x0800, 6}),
            Map.entry("tcp6", new int[] {0x86dd, 6}),
            Map.entry("udp", new int[] {0x0800, 17}),
            Map.entry("udp6", new int[] {0x86dd, 17}),
            Map.entry("sctp", new int[] {0x0800, 132}),
            Map.entry("sctp6", new int[] {0x86dd, 132}),
            Map.entry("arp", new int[] {0x0806, -1}),
            Map.entry("rarp", new int[] {0x8035, -1}),
            Map.entry("mpls", new int[] {0x8847, -1}),
            Map.entry("mplsm", new int[] {0x8848, -1}));

    /** Other names ovs-ofctl accepts for our fields. */
    private static final Map<String, Field> ALIASES = Map.ofEntries(
            Map.entry("eth_type", Field.ETH_TYPE),
            Map.entry("ip_proto", Field.IP_PROTO),
            Map.entry("ip_src", Field.IPV4_SRC),
            Map.entry("ip_dst", Field.IPV4_DST),
            Map.entry("tcp_dst", Field.TP_DST),
            Map.entry("udp_dst", Field.TP_DST),
            Map.entry("sctp_dst", Field.TP_DST),
            Map.entry("tcp_src", Field.TP_SRC),
            Map.entry("udp_src", Field.TP_SRC),
            Map.entry("sctp_src", Field.TP_SRC),
            Map.entry("icmpv6_type", Field.ICMPV6_TYPE));

    private final String line;
    private Match match = Match.ANY;

    OfctlMatches(String line) {
        this.line = line;
    }

    static boolean isKeyword(String token) {
        return KEYWORDS.containsKey(token.toLowerCase(Locale.ROOT));
    }

    static Optional<Field> field(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Field alias = ALIASES.get(n);
        return alias != null ? Optional.of(alias) : Field.fromOfctl(n);
    }

    void keyword(String token) {
        int[] k = KEYWORDS.get(token.toLowerCase(Locale.ROOT));
        add(token, FieldMatch.exact(Field.ETH_TYPE, k[0]));
        if (k[1] >= 0) {
            add(token, FieldMatch.exact(Field.IP_PROTO, k[1]));
        }
    }

    void field(Field f, String value, String token) {
        FieldMatch fm;
        try {
            fm = parse(f, value);
        } catch (IllegalArgumentException e) {
            throw new OfctlParseException(token, line, e.getMessage(), e);
        }
        if (fm != null) {
            add(token, fm);
        }
    }

    Match match() {
        return match;
    }

    private void add(String token, FieldMatch fm) {
        try {
            match = match.with(fm);
        } catch (IllegalArgumentException e) {
            throw new OfctlParseException(token, line, e.getMessage(), e);
        }
    }

    /** Null for an all-wildcard condition such as {@code nw_src=0.0.0.0/0}, which OVS drops. */
    private static FieldMatch parse(Field f, String value) {
        switch (f) {
            case CT_STATE:
                int[] vm = CtStates.parseMatch(value);
                return FieldMatch.masked(f, vm[0], vm[1]);
            case IN_PORT:
                return FieldMatch.exact(f, OfctlPorts.parseInPort(value));
            case IPV4_SRC:
            case IPV4_DST:
                return address(f, IpFamily.V4, value);
            case IPV6_SRC:
            case IPV6_DST:
                return address(f, IpFamily.V6, value);
            default:
                return number(f, value);
        }
    }

    private static FieldMatch number(Field f, String value) {
        long max = FieldMatch.allOnes(f.bits()).longValue();
        int slash = value.indexOf('/');
        if (slash < 0) {
            return FieldMatch.exact(f, OfctlNumbers.parseUnsigned(value, max));
        }
        if (!f.maskable()) {
            throw new IllegalArgumentException(f.ofctlName() + " is not maskable");
        }
        long v = OfctlNumbers.parseUnsigned(value.substring(0, slash), max);
        long mask = OfctlNumbers.parseUnsigned(value.substring(slash + 1), max);
        return mask == 0 ? null : FieldMatch.masked(f, v & mask, mask);
    }

    /** {@code addr}, {@code addr/prefix} or {@code addr/mask-address}. */
    private static FieldMatch address(Field f, IpFamily family, String value) {
        int slash = value.indexOf('/');
        IpAddress addr = inFamily(family, value.substring(0, slash < 0 ? value.length() : slash));
        BigInteger all = FieldMatch.allOnes(family.bits());
        BigInteger mask = all;
        if (slash >= 0) {
            String m = value.substring(slash + 1);
            if (m.length() <= 3 && OfctlNumbers.isDigits(m)) {
                int prefix = Integer.parseInt(m);
                if (prefix > family.bits()) {
                    throw new IllegalArgumentException("prefix longer than " + family.bits() + ": " + value);
                }
                mask = FieldMatch.allOnes(prefix).shiftLeft(family.bits() - prefix);
            } else {
                mask = inFamily(family, m).toBigInteger();
            }
        }
        if (mask.signum() == 0) {
            return null;
        }
        return new FieldMatch(f, addr.toBigInteger().and(mask), mask);
    }

    private static IpAddress inFamily(IpFamily family, String text) {
        IpAddress a = IpAddress.parse(text);
        if (a.family() != family) {
            throw new IllegalArgumentException("not an " + family + " address: " + text);
        }
        return a;
    }
}
