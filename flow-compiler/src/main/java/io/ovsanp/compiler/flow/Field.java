package io.ovsanp.compiler.flow;

import java.util.Locale;

/**
 * Match fields ovs-anp uses, with their width and ovs-ofctl name. Transport ports are one field,
 * {@link #TP_DST}, whose protocol is given by {@link #IP_PROTO} (ofctl writes {@code tcp,tp_dst=80}); so
 * are the source ports, {@link #TP_SRC} (only the DNS interception flows match one).
 * The declaration order is the canonical order used when rendering a match.
 */
public enum Field {
    CONJ_ID("conj_id", 32, false),
    CT_STATE("ct_state", 32, true),
    CT_ZONE("ct_zone", 16, false),
    CT_MARK("ct_mark", 32, true),
    REG0("reg0", 32, true),
    REG1("reg1", 32, true),
    REG2("reg2", 32, true),
    REG3("reg3", 32, true),
    REG4("reg4", 32, true),
    REG5("reg5", 32, true),
    REG6("reg6", 32, true),
    REG7("reg7", 32, true),
    IN_PORT("in_port", 32, false),
    ETH_TYPE("dl_type", 16, false),
    IP_PROTO("nw_proto", 8, false),
    IPV4_SRC("nw_src", 32, true),
    IPV4_DST("nw_dst", 32, true),
    IPV6_SRC("ipv6_src", 128, true),
    IPV6_DST("ipv6_dst", 128, true),
    TP_SRC("tp_src", 16, true),
    TP_DST("tp_dst", 16, true),
    /** ICMPv6 type (needs {@code icmp6}); dump-flows prints it as {@code icmp_type}. */
    ICMPV6_TYPE("icmp_type", 8, false);

    private final String ofctlName;
    private final int bits;
    private final boolean maskable;

    Field(String ofctlName, int bits, boolean maskable) {
        this.ofctlName = ofctlName;
        this.bits = bits;
        this.maskable = maskable;
    }

    public String ofctlName() {
        return ofctlName;
    }

    public int bits() {
        return bits;
    }

    public boolean maskable() {
        return maskable;
    }

    public static Field reg(int n) {
        return valueOf("REG" + n);
    }

    public static java.util.Optional<Field> fromOfctl(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Field f : values()) {
            if (f.ofctlName.equals(n)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}
