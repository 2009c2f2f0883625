package io.ovsanp.compiler.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static Cidr cidr(String text) {
        return Cidr.parse(text).cidr();
    }

    private static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "0.0.0.0/0, 0.0.0.0/0",
        "10.0.0.1/32, 10.0.0.1/32",
        "192.168.1.0/24, 192.168.1.0/24",
        "fd00::/8, fd00::/8",
        "FD00:0:0:0::/64, fd00::/64",
        "::/0, ::/0",
        "fd00::1/128, fd00::1/128",
        "::ffff:10.0.0.0/104, ::ffff:10.0.0.0/104"
    })
    void parsesAndPrintsWithThePrefix(String input, String expected) {
        Cidr.Parsed parsed = Cidr.parse(input);
        assertThat(parsed.cidr()).hasToString(expected);
        assertThat(parsed.hostBitsSet()).isFalse();
    }

    @Test
    void hostBitsAreClearedAndReported() {
        Cidr.Parsed parsed = Cidr.parse("10.0.0.1/24");
        assertThat(parsed.cidr()).isEqualTo(cidr("10.0.0.0/24"));
        assertThat(parsed.hostBitsSet()).isTrue();
        Cidr.Parsed v6 = Cidr.parse("fd00::1/64");
        assertThat(v6.cidr()).hasToString("fd00::/64");
        assertThat(v6.hostBitsSet()).isTrue();
        assertThat(Cidr.parse("10.255.255.255/0").cidr()).hasToString("0.0.0.0/0");
    }

    @Test
    void constructorMasksTheNetwork() {
        assertThat(new Cidr(ip("10.1.2.3"), 16)).isEqualTo(cidr("10.1.0.0/16"));
        assertThat(new Cidr(ip("fd00:1:2:3:4:5:6:7"), 64).network()).isEqualTo(ip("fd00:1:2:3::"));
        assertThat(new Cidr(ip("fd00:1:2:3:4:5:6:7"), 63).network()).isEqualTo(ip("fd00:1:2:2::"));
        assertThat(new Cidr(ip("fd00:1:2:3:4:5:6:7"), 65).network()).isEqualTo(ip("fd00:1:2:3::"));
        assertThat(new Cidr(ip("fd00:1:2:3:8004:5:6:7"), 65).network()).isEqualTo(ip("fd00:1:2:3:8000::"));
    }

    @Test
    void constructorRejectsAPrefixWiderThanTheFamily() {
        assertThatThrownBy(() -> new Cidr(ip("10.0.0.0"), 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cidr(ip("::"), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.0.0.0",
                "fd00::",
                " 10.0.0.0/8",
                "10.0.0.0/8 ",
                "10.0.0.1/33",
                "fd00::/129",
                "10.0.0.0/",
                "/8",
                "10.0.0.0/08",
                "10.0.0.0/+8",
                "10.0.0.0/-1",
                "10.0.0.0/8/8",
                "10.0.0.0/0x8",
                "10.0.0.0/1000",
                "010.0.0.0/8",
                "10.0.0.256/32",
                "fe80::%eth0/64",
                "10.0.0.0/ 8",
                "10.0.0.0/８"
            })
    void malformedCidrsAreRejected(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid CIDR \"" + text + "\": ");
    }

    @Test
    void aBadAddressInsideACidrIsNamedOnceWithItsReason() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.300/8"))
                .hasMessage("invalid CIDR \"10.0.0.300/8\": IPv4 octet 300 is greater than 255");
    }

    @Test
    void prefixOutOfRangeNamesTheFamilyLimit() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> Cidr.parse("fd00::/129")).hasMessageContaining("0..128");
    }

    @Test
    void ofAnAddressIsItsHostRoute() {
        assertThat(Cidr.of(ip("10.0.0.1"))).isEqualTo(cidr("10.0.0.1/32"));
        assertThat(Cidr.of(ip("fd00::1"))).isEqualTo(cidr("fd00::1/128"));
        assertThat(Cidr.of(ip("fd00::1")).isHost()).isTrue();
        assertThat(cidr("10.0.0.0/31").isHost()).isFalse();
    }

    @Test
    void ofctlTextOmitsThePrefixOfHostRoutesOnly() {
        assertThat(cidr("10.0.0.1/32").toOfctl()).isEqualTo("10.0.0.1");
        assertThat(cidr("fd00::1/128").toOfctl()).isEqualTo("fd00::1");
        assertThat(cidr("10.0.0.0/24").toOfctl()).isEqualTo("10.0.0.0/24");
        assertThat(cidr("fd00::/64").toOfctl()).isEqualTo("fd00::/64");
        assertThat(cidr("::ffff:10.0.0.1/128").toOfctl()).isEqualTo("::ffff:10.0.0.1");
    }

    /** Right-hand sides printed by {@code ovs-ofctl -O OpenFlow13 parse-flow} of OVS 3.1.0. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.0.0.1/32, 10.0.0.1",
        "10.0.0.0/24, 10.0.0.0/24",
        "::ffff:10.0.0.1/128, ::ffff:10.0.0.1",
        "::102:304/128, ::1.2.3.4",
        "::1:0/128, ::0.1.0.0",
        "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1",
        "1:0:0:2:0:0:3:4/128, 1::2:0:0:3:4",
        "0:0:0:1::/64, 0:0:0:1::/64",
        "fd00::/64, fd00::/64",
        "::ffff:0:0/96, ::ffff:0.0.0.0/96"
    })
    void ofctlTextMatchesWhatOvsOfctlPrints(String input, String expected) {
        assertThat(cidr(input).toOfctl()).isEqualTo(expected);
    }

    @Test
    void firstAndLastAreTheBlockBounds() {
        assertThat(cidr("10.1.0.0/16").first()).isEqualTo(ip("10.1.0.0"));
        assertThat(cidr("10.1.0.0/16").last()).isEqualTo(ip("10.1.255.255"));
        assertThat(cidr("0.0.0.0/0").last()).isEqualTo(ip("255.255.255.255"));
        assertThat(cidr("10.0.0.7/32").last()).isEqualTo(ip("10.0.0.7"));
        assertThat(cidr("fd00::/63").last()).isEqualTo(ip("fd00:0:0:1:ffff:ffff:ffff:ffff"));
        assertThat(cidr("fd00::/65").last()).isEqualTo(ip("fd00::7fff:ffff:ffff:ffff"));
        assertThat(cidr("::/0").last()).isEqualTo(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    }

    @Test
    void containsAddressesOfItsOwnFamilyOnly() {
        Cidr net = cidr("10.0.0.0/24");
        assertThat(net.contains(ip("10.0.0.0"))).isTrue();
        assertThat(net.contains(ip("10.0.0.255"))).isTrue();
        assertThat(net.contains(ip("10.0.1.0"))).isFalse();
        assertThat(net.contains(ip("9.255.255.255"))).isFalse();
        assertThat(net.contains(ip("::ffff:10.0.0.1"))).isFalse();
        assertThat(cidr("0.0.0.0/0").contains(ip("::"))).isFalse();
        assertThat(cidr("::/0").contains(ip("0.0.0.0"))).isFalse();
        assertThat(cidr("fd00::/64").contains(ip("fd00::ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(cidr("fd00::/64").contains(ip("fd00:0:0:1::"))).isFalse();
    }

    @Test
    void containsAndOverlapsBetweenPrefixesFollowNesting() {
        Cidr wide = cidr("10.0.0.0/8");
        Cidr narrow = cidr("10.1.0.0/16");
        Cidr other = cidr("11.0.0.0/8");
        assertThat(wide.contains(narrow)).isTrue();
        assertThat(narrow.contains(wide)).isFalse();
        assertThat(wide.contains(wide)).isTrue();
        assertThat(wide.overlaps(narrow)).isTrue();
        assertThat(narrow.overlaps(wide)).isTrue();
        assertThat(wide.overlaps(other)).isFalse();
        assertThat(cidr("0.0.0.0/0").overlaps(cidr("::/0"))).isFalse();
        assertThat(cidr("0.0.0.0/0").contains(cidr("::/96"))).isFalse();
    }

    @Test
    void familyFollowsTheNetwork() {
        assertThat(cidr("10.0.0.0/8").family()).isEqualTo(IpFamily.V4);
        assertThat(cidr("::ffff:10.0.0.0/104").family()).isEqualTo(IpFamily.V6);
    }

    @Test
    void sortsByFamilyThenNetworkThenShorterPrefixFirst() {
        List<Cidr> expected = List.of(
                cidr("10.0.0.0/8"),
                cidr("10.0.0.0/24"),
                cidr("10.0.0.1/32"),
                cidr("10.1.0.0/16"),
                cidr("128.0.0.0/1"),
                cidr("::/0"),
                cidr("fd00::/8"));
        List<Cidr> shuffled = new ArrayList<>(expected);
        Collections.reverse(shuffled);
        Collections.sort(shuffled);
        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void halvesAndParentAreConsistent() {
        Cidr block = cidr("fd00::/64");
        assertThat(block.lowerHalf()).isEqualTo(cidr("fd00::/65"));
        assertThat(block.upperHalf()).isEqualTo(cidr("fd00::8000:0:0:0/65"));
        assertThat(block.lowerHalf().isLowerSiblingOf(block.upperHalf())).isTrue();
        assertThat(block.upperHalf().isLowerSiblingOf(block.lowerHalf())).isFalse();
        assertThat(block.upperHalf().parent()).isEqualTo(block);
        assertThat(cidr("10.0.0.0/25").isLowerSiblingOf(cidr("10.0.0.128/25"))).isTrue();
        assertThat(cidr("10.0.0.128/25").isLowerSiblingOf(cidr("10.0.1.0/25"))).isFalse();
        assertThat(cidr("0.0.0.0/0").isLowerSiblingOf(cidr("::/0"))).isFalse();
    }
}
