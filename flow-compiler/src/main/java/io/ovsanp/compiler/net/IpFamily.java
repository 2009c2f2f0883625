package io.ovsanp.compiler.net;

/** IP version of an address or prefix; IPv4 and IPv6 never mix in one match or conjunction. */
public enum IpFamily {
    /** IPv4, Ethernet type 0x0800. */
    V4(32, 0x0800),
    /** IPv6, Ethernet type 0x86dd. */
    V6(128, 0x86dd);

    private final int bits;
    private final int ethType;

    IpFamily(int bits, int ethType) {
        this.bits = bits;
        this.ethType = ethType;
    }

    /** Address width in bits: 32 or 128. */
    public int bits() {
        return bits;
    }

    /** The {@code dl_type}/{@code eth_type} value a flow must match before any IP field (OpenFlow 1.3 §7.2.3.6 prerequisites). */
    public int ethType() {
        return ethType;
    }
}
