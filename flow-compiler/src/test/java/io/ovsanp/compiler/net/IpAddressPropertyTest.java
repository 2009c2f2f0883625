package io.ovsanp.compiler.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class IpAddressPropertyTest {

    @Property(tries = 1000)
    void ipv4FormatAndParseRoundTrip(@ForAll int bits) {
        IpAddress a = IpAddress.v4(bits);
        String expected = IntStream.of(bits >>> 24, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff)
                .mapToObj(Integer::toString)
                .collect(Collectors.joining("."));
        assertThat(a).hasToString(expected);
        assertThat(IpAddress.parse(expected)).isEqualTo(a);
    }

    @Property(tries = 1000)
    void ipv6FormatAndParseRoundTrip(@ForAll("ipv6") IpAddress a) {
        String text = a.toString();
        assertThat(IpAddress.parse(text)).isEqualTo(a);
        assertThat(text).isEqualTo(text.toLowerCase(Locale.ROOT));
        assertThat(text.indexOf("::")).isEqualTo(text.lastIndexOf("::"));
        assertThat(text).doesNotContain(":::");
    }

    /** Any spelling (full form, either case, zero-padded groups) parses to the same address. */
    @Property(tries = 1000)
    void ipv6ParsesFromItsFullFormInAnyCaseAndPadding(@ForAll("ipv6") IpAddress a, @ForAll long seed) {
        Random random = new Random(seed);
        BigInteger v = a.toBigInteger();
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            int word = v.shiftRight(112 - 16 * g).intValue() & 0xffff;
            String hex = Integer.toHexString(word);
            if (random.nextBoolean()) {
                hex = "0".repeat(4 - hex.length()) + hex;
            }
            sb.append(g == 0 ? "" : ":").append(random.nextBoolean() ? hex.toUpperCase(Locale.ROOT) : hex);
        }
        assertThat(IpAddress.parse(sb.toString())).isEqualTo(a);
    }

    @Property(tries = 1000)
    void bigIntegerRoundTripAndBitAgree(@ForAll("anyAddress") IpAddress a) {
        BigInteger v = a.toBigInteger();
        int bits = a.family().bits();
        assertThat(v.signum()).isNotNegative();
        assertThat(v.bitLength()).isLessThanOrEqualTo(bits);
        assertThat(IpAddress.fromBigInteger(a.family(), v)).isEqualTo(a);
        for (int i = 0; i < bits; i++) {
            assertThat(a.bit(i)).isEqualTo(v.testBit(bits - 1 - i) ? 1 : 0);
        }
    }

    @Property(tries = 1000)
    void orderIsFamilyThenNumericValue(@ForAll("anyAddress") IpAddress a, @ForAll("anyAddress") IpAddress b) {
        Comparator<IpAddress> reference =
                Comparator.comparing(IpAddress::family).thenComparing(IpAddress::toBigInteger);
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(reference.compare(a, b)));
    }

    @Provide
    Arbitrary<IpAddress> anyAddress() {
        return Arbitraries.oneOf(Arbitraries.integers().map(IpAddress::v4), ipv6());
    }

    /**
     * IPv6 values rich in the shapes that matter for formatting: zero runs of every length and
     * position, {@code ffff} words (mapped addresses) and small words (compatible addresses).
     */
    @Provide
    Arbitrary<IpAddress> ipv6() {
        Arbitrary<Integer> word = Arbitraries.oneOf(
                Arbitraries.just(0),
                Arbitraries.just(0),
                Arbitraries.just(0xffff),
                Arbitraries.integers().between(0, 0xffff));
        Arbitrary<IpAddress> shaped = word.list().ofSize(8).map(IpAddressPropertyTest::fromWords);
        Arbitrary<IpAddress> mapped =
                Arbitraries.integers().map(v4 -> IpAddress.v6(0, 0xffff00000000L | Integer.toUnsignedLong(v4)));
        Arbitrary<IpAddress> compatible = Arbitraries.integers().map(v4 -> IpAddress.v6(0, Integer.toUnsignedLong(v4)));
        Arbitrary<IpAddress> uniform =
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(IpAddress::v6);
        return Arbitraries.frequencyOf(
                Tuple.of(6, shaped), Tuple.of(2, mapped), Tuple.of(1, compatible), Tuple.of(2, uniform));
    }

    private static IpAddress fromWords(List<Integer> words) {
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | words.get(g);
            lo = (lo << 16) | words.get(g + 4);
        }
        return IpAddress.v6(hi, lo);
    }
}
