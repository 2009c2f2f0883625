package io.ovsanp.compiler.flow;

import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpFamily;
import java.math.BigInteger;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A flow match: at most one condition per field, kept in {@link Field} order so equal matches are
 * equal values. OpenFlow 1.3 prerequisites are checked by {@link #checkPrerequisites()}: IP fields
 * need the matching eth_type, tp_dst needs ip_proto TCP/UDP/SCTP.
 */
public final class Match implements Comparable<Match> {
    public static final Match ANY = new Match(Map.of());

    private final Map<Field, FieldMatch> fields;
    /** The canonical text, computed once: compareTo, equals and hashCode run on it in hot loops. */
    private final String key;

    public Match(Map<Field, FieldMatch> fields) {
        this(new EnumMap<>(copyable(fields)));
    }

    /** Takes ownership of {@code owned}, a map nobody else holds. */
    private Match(EnumMap<Field, FieldMatch> owned) {
        this.fields = Collections.unmodifiableMap(owned);
        this.key = text(this.fields);
    }

    private static Map<Field, FieldMatch> copyable(Map<Field, FieldMatch> fields) {
        if (fields instanceof EnumMap<Field, FieldMatch>) return fields;
        EnumMap<Field, FieldMatch> m = new EnumMap<>(Field.class);
        m.putAll(fields);
        return m;
    }

    public Map<Field, FieldMatch> fields() {
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Match other && key.equals(other.key));
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    public Optional<FieldMatch> get(Field f) {
        return Optional.ofNullable(fields.get(f));
    }

    public boolean has(Field f) {
        return fields.containsKey(f);
    }

    public Match with(FieldMatch fm) {
        EnumMap<Field, FieldMatch> m = new EnumMap<>(Field.class);
        m.putAll(fields);
        put(m, fm);
        return new Match(m);
    }

    private static void put(EnumMap<Field, FieldMatch> m, FieldMatch fm) {
        FieldMatch old = m.put(fm.field(), fm);
        if (old != null && !old.equals(fm)) {
            throw new IllegalArgumentException("conflicting conditions on " + fm.field() + ": " + old + " vs " + fm);
        }
    }

    public Match with(Field f, long value) {
        return with(FieldMatch.exact(f, value));
    }

    /** Adds every condition of {@code other}; they must not conflict. */
    public Match and(Match other) {
        EnumMap<Field, FieldMatch> m = new EnumMap<>(Field.class);
        m.putAll(fields);
        for (FieldMatch fm : other.fields.values()) {
            put(m, fm);
        }
        return new Match(m);
    }

    public static Match ethType(IpFamily family) {
        return ANY.with(Field.ETH_TYPE, family.ethType());
    }

    /** {@code ip,nw_src=cidr} or {@code ipv6,ipv6_src=cidr}. */
    public static Match source(Cidr cidr) {
        return ethType(cidr.family())
                .with(cidrMatch(cidr.family() == IpFamily.V4 ? Field.IPV4_SRC : Field.IPV6_SRC, cidr));
    }

    /** {@code ip,nw_dst=cidr} or {@code ipv6,ipv6_dst=cidr}. */
    public static Match destination(Cidr cidr) {
        return ethType(cidr.family())
                .with(cidrMatch(cidr.family() == IpFamily.V4 ? Field.IPV4_DST : Field.IPV6_DST, cidr));
    }

    public static FieldMatch cidrMatch(Field field, Cidr cidr) {
        int bits = field.bits();
        BigInteger mask = FieldMatch.allOnes(cidr.prefix()).shiftLeft(bits - cidr.prefix());
        return new FieldMatch(field, cidr.network().toBigInteger(), mask);
    }

    /** Checks OpenFlow 1.3 prerequisites; throws for a match OVS would reject (BAD_PREREQ). */
    public Match checkPrerequisites() {
        long eth = get(Field.ETH_TYPE).map(f -> f.value().longValue()).orElse(-1L);
        if ((has(Field.IPV4_SRC) || has(Field.IPV4_DST)) && eth != 0x0800) {
            throw new IllegalArgumentException("nw_src/nw_dst need dl_type=0x0800: " + this);
        }
        if ((has(Field.IPV6_SRC) || has(Field.IPV6_DST)) && eth != 0x86dd) {
            throw new IllegalArgumentException("ipv6_src/ipv6_dst need dl_type=0x86dd: " + this);
        }
        if (has(Field.IP_PROTO) && eth != 0x0800 && eth != 0x86dd) {
            throw new IllegalArgumentException("nw_proto needs an IP dl_type: " + this);
        }
        if (has(Field.ICMPV6_TYPE)
                && (eth != 0x86dd
                        || get(Field.IP_PROTO).map(f -> f.value().longValue()).orElse(-1L) != 58)) {
            throw new IllegalArgumentException("icmp_type needs icmp6 (dl_type=0x86dd,nw_proto=58): " + this);
        }
        if (has(Field.TP_DST) || has(Field.TP_SRC)) {
            long proto = get(Field.IP_PROTO).map(f -> f.value().longValue()).orElse(-1L);
            if (proto != 6 && proto != 17 && proto != 132) {
                throw new IllegalArgumentException("tp_src/tp_dst need nw_proto tcp/udp/sctp: " + this);
            }
        }
        return this;
    }

    @Override
    public int compareTo(Match o) {
        return o == this ? 0 : key.compareTo(o.key);
    }

    @Override
    public String toString() {
        return key;
    }

    /** {@code v.toString(16)} for a non-negative value, without BigInteger's slow path when it fits a long. */
    private static String hex(BigInteger v) {
        return v.bitLength() < Long.SIZE ? Long.toHexString(v.longValue()) : v.toString(16);
    }

    private static String text(Map<Field, FieldMatch> fields) {
        StringBuilder b = new StringBuilder();
        for (FieldMatch fm : fields.values()) {
            if (b.length() > 0) b.append(',');
            b.append(fm.field().ofctlName()).append('=').append("0x").append(hex(fm.value()));
            if (!fm.isExact()) b.append("/0x").append(hex(fm.mask()));
        }
        return b.toString();
    }
}
