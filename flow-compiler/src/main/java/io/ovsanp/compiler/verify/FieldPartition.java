package io.ovsanp.compiler.verify;

import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.net.Cidr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The atomic intervals of one header field of {@code bits} bits: the coarsest partition of
 * [0, 2^bits) in which every interval added is a union of cells. A value/mask condition with a
 * prefix mask is one interval; a port condition with any other mask is a union of aligned blocks,
 * found by scanning its 2^16 values. A non-prefix mask on a wider field (an address) is refused:
 * its blocks can be as many as the address space.
 */
final class FieldPartition {
    /** The widest field whose non-prefix masks are scanned value by value (tp_dst). */
    private static final int SCAN_BITS = 16;

    private final int bits;
    private final BigInteger end;
    /** Starts of cells; 0 always, never {@code end}. */
    private final TreeSet<BigInteger> starts = new TreeSet<>();

    FieldPartition(int bits) {
        this.bits = bits;
        this.end = BigInteger.ONE.shiftLeft(bits);
        starts.add(BigInteger.ZERO);
    }

    /** Splits at both ends of {@code [lo, hi]}, inclusive. */
    void addInterval(BigInteger lo, BigInteger hi) {
        if (lo.signum() < 0 || hi.compareTo(end) >= 0 || lo.compareTo(hi) > 0) {
            throw new IllegalArgumentException("interval [" + lo + ", " + hi + "] is not inside " + bits + " bits");
        }
        starts.add(lo);
        BigInteger next = hi.add(BigInteger.ONE);
        if (next.compareTo(end) < 0) {
            starts.add(next);
        }
    }

    void addPoint(BigInteger v) {
        addInterval(v, v);
    }

    void addCidr(Cidr c) {
        addInterval(c.first().toBigInteger(), c.last().toBigInteger());
    }

    /** The set {@code x & mask == value}, of the field's width. */
    void addMatch(FieldMatch m) {
        if (m.field().bits() != bits) {
            throw new IllegalArgumentException(m.field() + " has " + m.field().bits() + " bits, not " + bits);
        }
        int prefix = m.prefixLength();
        if (prefix >= 0) {
            BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
            addInterval(m.value(), m.value().add(size).subtract(BigInteger.ONE));
            return;
        }
        if (bits > SCAN_BITS) {
            throw new IllegalArgumentException(
                    "a non-prefix mask on " + m.field().ofctlName() + " ("
                            + m.value().toString(16) + "/" + m.mask().toString(16)
                            + ") is not a union of few intervals; verify does not cover it");
        }
        long mask = m.mask().longValueExact();
        long value = m.value().longValueExact();
        boolean inside = false;
        for (long x = 0; x < (1L << bits); x++) {
            boolean in = (x & mask) == value;
            if (in != inside) {
                starts.add(BigInteger.valueOf(x));
                inside = in;
            }
        }
    }

    /** Every cut of {@code other}, a partition of the same width. */
    void addAll(FieldPartition other) {
        if (other.bits != bits) {
            throw new IllegalArgumentException(other.bits + " bits, not " + bits);
        }
        starts.addAll(other.starts);
    }

    /** One representative per cell, its smallest value, ascending. */
    List<BigInteger> representatives() {
        return new ArrayList<>(starts);
    }
}
