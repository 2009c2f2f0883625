package io.ovsanp.compiler.net;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as a 128-bit unsigned value split into {@code hi} and {@code lo}.
 *
 * <p>Invariant: an IPv4 address lives in the low 32 bits of {@code lo} and has {@code hi == 0}.
 * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) stay {@link IpFamily#V6}: Kubernetes and
 * OVS treat them as IPv6, and so do we.
 *
 * <p>Ordering is by family ({@code V4} first), then by unsigned value, so sorted lists group each
 * family together in numeric order.
 *
 * @param family address family
 * @param hi upper 64 bits of the 128-bit value (always 0 for IPv4)
 * @param lo lower 64 bits of the 128-bit value
 */
public record IpAddress(IpFamily family, long hi, long lo) implements Comparable<IpAddress> {

    public IpAddress {
        Objects.requireNonNull(family, "family");
        if (family == IpFamily.V4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address must fit in the low 32 bits: hi=" + Long.toHexString(hi)
                    + " lo=" + Long.toHexString(lo));
        }
    }

    /** The IPv4 address whose 32 bits, read as unsigned, are {@code bits}. */
    public static IpAddress v4(int bits) {
        return new IpAddress(IpFamily.V4, 0, Integer.toUnsignedLong(bits));
    }

    /** The IPv6 address with the given upper and lower 64 bits. */
    public static IpAddress v6(long hi, long lo) {
        return new IpAddress(IpFamily.V6, hi, lo);
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 address strictly, with the rules of Go's {@code
     * netip.ParseAddr}: decimal IPv4 octets without leading zeros, IPv6 hex groups of one to four
     * digits, at most one {@code ::}, an optional dotted IPv4 tail, no zone id, no surrounding
     * whitespace. Never resolves names.
     *
     * @throws IllegalArgumentException with a message naming the input and the first problem
     */
    public static IpAddress parse(String text) {
        return IpText.parse(text);
    }

    /** {@link #parse} without the exception: empty when {@code text} is not a valid address. */
    public static Optional<IpAddress> tryParse(String text) {
        try {
            return Optional.of(IpText.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The address as an unsigned integer in {@code [0, 2^bits)}. */
    public BigInteger toBigInteger() {
        byte[] bytes = ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
        return new BigInteger(1, bytes);
    }

    /**
     * The address of {@code family} whose unsigned value is {@code value}.
     *
     * @throws IllegalArgumentException if {@code value} is negative or wider than the family
     */
    public static IpAddress fromBigInteger(IpFamily family, BigInteger value) {
        Objects.requireNonNull(family, "family");
        if (value.signum() < 0 || value.bitLength() > family.bits()) {
            throw new IllegalArgumentException(value + " is not a " + family.bits() + "-bit unsigned value");
        }
        return new IpAddress(family, value.shiftRight(64).longValue(), value.longValue());
    }

    /**
     * Bit {@code i} of the address, counted from the most significant bit (bit 0) as prefixes are:
     * a {@code /n} prefix fixes bits {@code 0..n-1}.
     *
     * @return 0 or 1
     * @throws IndexOutOfBoundsException unless {@code 0 <= i < family().bits()}
     */
    public int bit(int i) {
        Objects.checkIndex(i, family.bits());
        int q = offset() + i;
        return q < 64 ? (int) (hi >>> (63 - q)) & 1 : (int) (lo >>> (127 - q)) & 1;
    }

    /** True for {@code ::ffff:0:0/96}, which formats with a dotted IPv4 tail. */
    public boolean isIpv4Mapped() {
        return family == IpFamily.V6 && hi == 0 && (lo >>> 32) == 0xffffL;
    }

    /** IPv4 dotted quad, or IPv6 exactly as glibc {@code inet_ntop} (and hence OVS) prints it. */
    @Override
    public String toString() {
        return IpText.format(this);
    }

    @Override
    public int compareTo(IpAddress other) {
        int c = family.compareTo(other.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    /** This address with every bit after the first {@code prefix} bits cleared. */
    IpAddress masked(int prefix) {
        int q = offset() + prefix;
        return new IpAddress(family, hi & hiMask(q), lo & loMask(q));
    }

    /** True when the first {@code prefix} bits of both addresses agree; allocation-free. */
    boolean sharesPrefix(IpAddress other, int prefix) {
        int q = offset() + prefix;
        return family == other.family && ((hi ^ other.hi) & hiMask(q)) == 0 && ((lo ^ other.lo) & loMask(q)) == 0;
    }

    /** This address with every bit after the first {@code prefix} bits set: the last of its block. */
    IpAddress filled(int prefix) {
        int q = offset() + prefix;
        return new IpAddress(family, hi | ~hiMask(q), lo | ~loMask(q));
    }

    /** This address with bit {@code i} (counted as in {@link #bit}) set. */
    IpAddress withBit(int i) {
        Objects.checkIndex(i, family.bits());
        int q = offset() + i;
        return q < 64
                ? new IpAddress(family, hi | (1L << (63 - q)), lo)
                : new IpAddress(family, hi, lo | (1L << (127 - q)));
    }

    /** Leading 128-bit positions an address of this family does not use (96 for IPv4). */
    private int offset() {
        return 128 - family.bits();
    }

    /** Mask of the top {@code q} bits of the 128-bit value, restricted to {@code hi}. */
    private static long hiMask(int q) {
        return q <= 0 ? 0 : q >= 64 ? -1L : -1L << (64 - q);
    }

    /** Mask of the top {@code q} bits of the 128-bit value, restricted to {@code lo}. */
    private static long loMask(int q) {
        return q <= 64 ? 0 : q >= 128 ? -1L : -1L << (128 - q);
    }
}
