package io.ovsanp.compiler.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @Test
    void familiesHaveTheirWidthAndEthernetType() {
        assertThat(IpFamily.V4.bits()).isEqualTo(32);
        assertThat(IpFamily.V4.ethType()).isEqualTo(0x0800);
        assertThat(IpFamily.V6.bits()).isEqualTo(128);
        assertThat(IpFamily.V6.ethType()).isEqualTo(0x86dd);
    }

    @Test
    void ipv4LivesInTheLow32BitsOfLo() {
        IpAddress a = IpAddress.parse("10.1.2.255");
        assertThat(a).isEqualTo(new IpAddress(IpFamily.V4, 0, 0x0a0102ffL));
        assertThat(IpAddress.parse("255.255.255.255").lo()).isEqualTo(0xffffffffL);
        assertThat(IpAddress.parse("0.0.0.0").lo()).isZero();
    }

    @Test
    void ipv4WithBitsAbove32IsRejectedByTheConstructor() {
        assertThatThrownBy(() -> new IpAddress(IpFamily.V4, 0, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpAddress(IpFamily.V4, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv4WithLeadingZeroIsRejected() {
        assertThatThrownBy(() -> IpAddress.parse("010.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"010.0.0.1\"")
                .hasMessageContaining("leading zero");
    }

    @Test
    void ipv4OctetAbove255IsRejectedWithItsValue() {
        assertThatThrownBy(() -> IpAddress.parse("10.0.0.256")).hasMessageContaining("256 is greater than 255");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " 10.0.0.0",
                "10.0.0.0 ",
                "10.0.0",
                "10.0.0.0.0",
                "10..0.0",
                "10.0.0.",
                ".10.0.0",
                "1000.0.0.1",
                "0x0a.0.0.1",
                "+1.0.0.1",
                "-1.0.0.1",
                "10.0.0.1/32",
                "１.2.3.4",
                "00.0.0.0",
                "example.com",
                "1:2:3:4:5:6:7:8:9",
                ":::",
                ":",
                "1:",
                ":1",
                "1:::2",
                "1::2::3",
                "1:2:3:4:5:6:7",
                "1:2:3:4:5:6:7:8::",
                "::1:2:3:4:5:6:7:8",
                "12345::",
                "g::",
                "fe80::1%eth0",
                "[::1]",
                "::ffff:010.0.0.1",
                "::ffff:1.2.3",
                "::1.2.3.4:5",
                "1:2:3:4:5:6:7:1.2.3.4",
                "::ffff:1.2.3.4.5",
                ":: 1",
                "::１"
            })
    void malformedAddressesAreRejected(String text) {
        assertThatThrownBy(() -> IpAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid IP address \"" + text + "\": ");
        assertThat(IpAddress.tryParse(text)).isEmpty();
    }

    @Test
    void nullIsRejectedAsInvalidInput() {
        assertThatThrownBy(() -> IpAddress.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(IpAddress.tryParse(null)).isEmpty();
    }

    @Test
    void zoneIdsAreRejectedWithAReason() {
        assertThatThrownBy(() -> IpAddress.parse("fe80::1%eth0")).hasMessageContaining("zone");
    }

    @Test
    void tryParseReturnsTheAddressForValidInput() {
        assertThat(IpAddress.tryParse("fd00::1")).contains(IpAddress.v6(0xfd00L << 48, 1));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "fd00::1:0:0:1, fd00::1:0:0:1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:DB8::AbC, 2001:db8::abc",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
        "1:0:0:2:0:0:0:4, 1:0:0:2::4",
        "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
        "0:1:2:3:4:5:6:7, 0:1:2:3:4:5:6:7",
        "1:0:2:0:3:0:4:0, 1:0:2:0:3:0:4:0",
        "0:0:0:1:0:0:0:0, 0:0:0:1::",
        "1:2:3:4:5:6::7, 1:2:3:4:5:6:0:7",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
        "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "::ffff:102:304, ::ffff:1.2.3.4",
        "::FFFF:0.0.0.0, ::ffff:0.0.0.0",
        "::102:304, ::1.2.3.4",
        "::1:0, ::0.1.0.0",
        "::2, ::2",
        "::ffff, ::ffff",
        "::ffff:0:102:304, ::ffff:0:102:304",
        "::fffe:102:304, ::fffe:102:304",
        "64:ff9b::1.2.3.4, 64:ff9b::102:304",
        "0.0.0.0, 0.0.0.0",
        "192.168.0.1, 192.168.0.1",
        "255.255.255.255, 255.255.255.255"
    })
    void formatsLikeGlibcInetNtop(String input, String expected) {
        assertThat(IpAddress.parse(input)).hasToString(expected);
    }

    /** Expected strings printed by glibc 2.36 {@code inet_ntop} for the same 128-bit values. */
    @ParameterizedTest(name = "{0}{1} -> {2}")
    @CsvSource({
        "00000000128c0000, e8e3000000000000, 0:0:128c:0:e8e3::",
        "00000f2200000000, 000100010bedffff, 0:f22::1:1:bed:ffff",
        "0000000000000001, 0001000000000000, ::1:1:0:0:0",
        "00000000ffff0000, ffff0000000014f5, ::ffff:0:ffff:0:0:14f5",
        "0f89a5abffff0000, 0000ffff00000001, f89:a5ab:ffff::ffff:0:1",
        "00000000ffff0001, 0000000000000000, 0:0:ffff:1::",
        "ffff000000000000, 000183f800010000, ffff::1:83f8:1:0",
        "0000000000000000, 000000000000ffff, ::ffff",
        "0000ffff00000001, 0000000100014c50, 0:ffff:0:1:0:1:1:4c50",
        "ffff000000010000, 546500000001ffff, ffff:0:1:0:5465:0:1:ffff",
        "7abf0000d5ac0000, 0000ffff6f160000, 7abf:0:d5ac::ffff:6f16:0",
        "0000000100000000, ffffffffffff0000, 0:1::ffff:ffff:ffff:0",
        "0000000000000000, 0000ffff0001ffff, ::ffff:0.1.255.255",
        "0000ffff00000000, 0000ffffffff0000, 0:ffff::ffff:ffff:0",
        "000000000000ffff, 29ad295600000000, ::ffff:29ad:2956:0:0",
        "00000000f8fe0000, 0000ffff00000000, ::f8fe:0:0:ffff:0:0",
        "bbde23aa00019586, b17e000000000000, bbde:23aa:1:9586:b17e::"
    })
    void formatsRandomZeroHeavyValuesExactlyAsGlibcDoes(String hi, String lo, String expected) {
        IpAddress a = IpAddress.v6(Long.parseUnsignedLong(hi, 16), Long.parseUnsignedLong(lo, 16));
        assertThat(a).hasToString(expected);
        assertThat(IpAddress.parse(expected)).isEqualTo(a);
    }

    @Test
    void ipv4MappedAddressesStayIpv6() {
        IpAddress mapped = IpAddress.parse("::ffff:10.0.0.1");
        assertThat(mapped.family()).isEqualTo(IpFamily.V6);
        assertThat(mapped.isIpv4Mapped()).isTrue();
        assertThat(mapped).isNotEqualTo(IpAddress.parse("10.0.0.1"));
        assertThat(IpAddress.parse("::fffe:10.0.0.1").isIpv4Mapped()).isFalse();
        assertThat(IpAddress.parse("10.0.0.1").isIpv4Mapped()).isFalse();
    }

    @Test
    void bitZeroIsTheMostSignificantBit() {
        IpAddress a = IpAddress.parse("128.0.0.1");
        assertThat(a.bit(0)).isEqualTo(1);
        assertThat(a.bit(1)).isZero();
        assertThat(a.bit(31)).isEqualTo(1);
        IpAddress b = IpAddress.parse("8000::1:0:0:1");
        assertThat(b.bit(0)).isEqualTo(1);
        assertThat(b.bit(79)).isEqualTo(1);
        assertThat(b.bit(127)).isEqualTo(1);
        assertThat(b.bit(63)).isZero();
        assertThatThrownBy(() -> a.bit(32)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.bit(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void bigIntegerConversionIsUnsigned() {
        IpAddress max6 = IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assertThat(max6.toBigInteger()).isEqualTo(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
        assertThat(IpAddress.parse("255.255.255.255").toBigInteger()).isEqualTo(BigInteger.valueOf(0xffffffffL));
        assertThat(IpAddress.fromBigInteger(IpFamily.V6, max6.toBigInteger())).isEqualTo(max6);
        assertThat(IpAddress.fromBigInteger(IpFamily.V4, BigInteger.valueOf(0x0a000001L)))
                .isEqualTo(IpAddress.parse("10.0.0.1"));
    }

    @Test
    void bigIntegerOutOfTheFamilyRangeIsRejected() {
        assertThatThrownBy(() -> IpAddress.fromBigInteger(IpFamily.V4, BigInteger.ONE.shiftLeft(32)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpAddress.fromBigInteger(IpFamily.V6, BigInteger.ONE.shiftLeft(128)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpAddress.fromBigInteger(IpFamily.V6, BigInteger.valueOf(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersByFamilyThenUnsignedValue() {
        assertThat(IpAddress.parse("255.255.255.255")).isLessThan(IpAddress.parse("::"));
        assertThat(IpAddress.parse("10.0.0.2")).isLessThan(IpAddress.parse("128.0.0.1"));
        assertThat(IpAddress.parse("7fff::")).isLessThan(IpAddress.parse("8000::"));
        assertThat(IpAddress.parse("::7fff:ffff:ffff:ffff")).isLessThan(IpAddress.parse("::8000:0:0:0"));
        assertThat(IpAddress.parse("fd00::1")).isEqualByComparingTo(IpAddress.parse("FD00:0::0:1"));
    }
}
