package io.ovsanp.compiler.flow;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One field's condition: {@code (packet & mask) == value}. An exact match has the all-ones mask.
 * The value never has bits outside the mask (normalised here, as OVS does).
 */
public record FieldMatch(Field field, BigInteger value, BigInteger mask) {
    public FieldMatch {
        Objects.requireNonNull(field);
        BigInteger all = allOnes(field.bits());
        if (mask.signum() < 0 || mask.compareTo(all) > 0 || value.signum() < 0 || value.compareTo(all) > 0) {
            throw new IllegalArgumentException(field + ": value/mask out of range");
        }
        if (!mask.equals(all) && !field.maskable()) {
            throw new IllegalArgumentException(field + " is not maskable");
        }
        if (mask.signum() == 0) {
            throw new IllegalArgumentException(field + ": an all-zero mask matches everything; omit the field");
        }
        value = value.and(mask);
    }

    public static FieldMatch exact(Field field, long value) {
        return new FieldMatch(field, BigInteger.valueOf(value), allOnes(field.bits()));
    }

    public static FieldMatch masked(Field field, long value, long mask) {
        return new FieldMatch(field, BigInteger.valueOf(value), BigInteger.valueOf(mask));
    }

    public boolean isExact() {
        return mask.equals(allOnes(field.bits()));
    }

    /** True when {@code packetValue} satisfies this condition. */
    public boolean test(BigInteger packetValue) {
        return packetValue.and(mask).equals(value);
    }

    /** {@code 2^bits - 1} for every width a field can have: allOnes runs for every match built. */
    private static final BigInteger[] ALL_ONES = new BigInteger[129];

    static {
        for (int b = 0; b < ALL_ONES.length; b++) {
            ALL_ONES[b] = BigInteger.ONE.shiftLeft(b).subtract(BigInteger.ONE);
        }
    }

    public static BigInteger allOnes(int bits) {
        return bits >= 0 && bits < ALL_ONES.length
                ? ALL_ONES[bits]
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }

    /** Prefix length when the mask is a CIDR-style prefix, else -1. */
    public int prefixLength() {
        int bits = field.bits();
        int ones = mask.bitCount();
        BigInteger prefix = allOnes(ones).shiftLeft(bits - ones);
        return prefix.equals(mask) ? ones : -1;
    }
}
