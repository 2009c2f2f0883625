package io.ovsanp.compiler.net;

import java.util.Objects;

/**
 * An address prefix. Invariant: {@code network} has no bit set after the first {@code prefix}
 * bits; the constructor clears them, so {@code new Cidr(10.0.0.1, 24)} is {@code 10.0.0.0/24}.
 * Use {@link #parse} for user input, which reports host bits instead of hiding them.
 *
 * <p>Two prefixes are either nested or disjoint, which {@link CidrSet} relies on. Ordering is by
 * network address (family first), then shorter prefix first, so a covering prefix sorts before
 * every prefix it covers.
 *
 * @param network first address of the block
 * @param prefix number of leading fixed bits, {@code 0..network.family().bits()}
 */
public record Cidr(IpAddress network, int prefix) implements Comparable<Cidr> {

    public Cidr {
        Objects.requireNonNull(network, "network");
        if (prefix < 0 || prefix > network.family().bits()) {
            throw new IllegalArgumentException(
                    "prefix " + prefix + " out of range 0.." + network.family().bits() + " for " + network);
        }
        network = network.masked(prefix);
    }

    /**
     * The result of parsing user input: the masked prefix and whether the text had host bits set
     * ({@code 10.0.0.1/24}). Go's {@code netip.ParsePrefix} accepts such input, so it is not a
     * parse error here either; callers decide whether to report it.
     */
    public record Parsed(Cidr cidr, boolean hostBitsSet) {
        public Parsed {
            Objects.requireNonNull(cidr, "cidr");
        }
    }

    /**
     * Parses {@code address/prefix}: the address as strictly as {@link IpAddress#parse}, the prefix
     * as a decimal without sign or leading zeros, within the family's width. The prefix is
     * required; a bare address is rejected rather than read as a host route.
     *
     * @throws IllegalArgumentException with a message naming the input and the problem
     */
    public static Parsed parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid CIDR: null");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw invalid(text, "missing \"/prefix\"");
        }
        IpAddress address;
        try {
            address = IpAddress.parse(text.substring(0, slash));
        } catch (IpText.Invalid e) {
            // The CIDR names the address already: only the reason is added.
            throw invalid(text, e.reason());
        }
        String bits = text.substring(slash + 1);
        int max = address.family().bits();
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text, "prefix \"" + bits + "\" is not a decimal number");
        }
        if (bits.length() > 1 && bits.charAt(0) == '0') {
            throw invalid(text, "prefix \"" + bits + "\" has a leading zero");
        }
        int prefix = Integer.parseInt(bits);
        if (prefix > max) {
            throw invalid(text, "prefix " + prefix + " out of range 0.." + max + " for " + familyName(address));
        }
        Cidr cidr = new Cidr(address, prefix);
        return new Parsed(cidr, !cidr.network().equals(address));
    }

    /** The host route for {@code address}: {@code /32} or {@code /128}. */
    public static Cidr of(IpAddress address) {
        return new Cidr(address, address.family().bits());
    }

    public IpFamily family() {
        return network.family();
    }

    /** True for {@code /32} and {@code /128}. */
    public boolean isHost() {
        return prefix == network.family().bits();
    }

    /** The first address of the block (the network address). */
    public IpAddress first() {
        return network;
    }

    /** The last address of the block (the broadcast address for IPv4). */
    public IpAddress last() {
        return network.filled(prefix);
    }

    /** False for an address of the other family. */
    public boolean contains(IpAddress address) {
        return network.sharesPrefix(address, prefix);
    }

    /** True when every address of {@code other} is in this block (including {@code other == this}). */
    public boolean contains(Cidr other) {
        return prefix <= other.prefix && network.sharesPrefix(other.network, prefix);
    }

    /** True when the blocks share an address; prefixes overlap only by nesting. */
    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** {@code a.b.c.d/n} or {@code x::y/n}, always with the prefix. */
    @Override
    public String toString() {
        return network + "/" + prefix;
    }

    /**
     * The value of an {@code nw_src}/{@code nw_dst}/{@code ipv6_src}/{@code ipv6_dst} match as
     * {@code ovs-ofctl dump-flows} prints it: a host route without its prefix ({@code
     * nw_src=10.0.0.1}), anything else as {@code 10.0.0.0/24} or {@code fd00::/64}. A {@code /0}
     * matches everything; OVS omits such a field, so callers should not emit it.
     */
    public String toOfctl() {
        return isHost() ? network.toString() : toString();
    }

    @Override
    public int compareTo(Cidr other) {
        int c = network.compareTo(other.network);
        return c != 0 ? c : Integer.compare(prefix, other.prefix);
    }

    /** The lower half of this block. Requires {@code !isHost()}. */
    Cidr lowerHalf() {
        return new Cidr(network, prefix + 1);
    }

    /** The upper half of this block. Requires {@code !isHost()}. */
    Cidr upperHalf() {
        return new Cidr(network.withBit(prefix), prefix + 1);
    }

    /** The block of which this is a half. Requires {@code prefix > 0}. */
    Cidr parent() {
        return new Cidr(network, prefix - 1);
    }

    /** True when {@code this} is the lower and {@code other} the upper half of one block. */
    boolean isLowerSiblingOf(Cidr other) {
        return prefix > 0
                && prefix == other.prefix
                && family() == other.family()
                && network.bit(prefix - 1) == 0
                && network.withBit(prefix - 1).equals(other.network);
    }

    private static String familyName(IpAddress address) {
        return address.family() == IpFamily.V4 ? "IPv4" : "IPv6";
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("invalid CIDR \"" + text + "\": " + reason);
    }
}
