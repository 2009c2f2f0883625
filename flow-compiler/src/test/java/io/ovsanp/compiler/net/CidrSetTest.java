package io.ovsanp.compiler.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CidrSetTest {

    private static List<Cidr> cidrs(String... texts) {
        return Arrays.stream(texts).map(t -> Cidr.parse(t).cidr()).collect(Collectors.toList());
    }

    @Test
    void siblingHalvesMergeIntoTheirParent() {
        assertThat(CidrSet.aggregate(cidrs("10.0.0.128/25", "10.0.0.0/25"))).isEqualTo(cidrs("10.0.0.0/24"));
    }

    @Test
    void mergesCascadeUpwards() {
        assertThat(CidrSet.aggregate(cidrs("10.0.0.0/25", "10.0.0.128/26", "10.0.0.192/26", "10.0.1.0/24")))
                .isEqualTo(cidrs("10.0.0.0/23"));
    }

    @Test
    void adjacentBlocksThatAreNotSiblingsStaySeparate() {
        assertThat(CidrSet.aggregate(cidrs("10.0.1.0/24", "10.0.2.0/24")))
                .isEqualTo(cidrs("10.0.1.0/24", "10.0.2.0/24"));
    }

    @Test
    void duplicatesAndCoveredPrefixesAreDropped() {
        assertThat(CidrSet.aggregate(cidrs("10.1.2.3/32", "10.0.0.0/8", "10.0.0.0/8", "10.255.0.0/16")))
                .isEqualTo(cidrs("10.0.0.0/8"));
    }

    @Test
    void familiesAreAggregatedSeparatelyWithIpv4First() {
        List<Cidr> input =
                cidrs("fd00::/65", "10.0.0.0/25", "fd00::8000:0:0:0/65", "10.0.0.128/25", "::ffff:10.0.0.0/120");
        assertThat(CidrSet.aggregate(input)).isEqualTo(cidrs("10.0.0.0/24", "::ffff:10.0.0.0/120", "fd00::/64"));
    }

    @Test
    void wholeAddressSpaceIsOneEntry() {
        assertThat(CidrSet.aggregate(cidrs("0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1")))
                .isEqualTo(cidrs("0.0.0.0/0", "::/0"));
    }

    @Test
    void emptyInputGivesAnEmptyList() {
        assertThat(CidrSet.aggregate(List.of())).isEmpty();
        assertThat(CidrSet.subtract(Cidr.parse("10.0.0.0/8").cidr(), List.of())).isEqualTo(cidrs("10.0.0.0/8"));
    }

    @Test
    void resultsAreImmutable() {
        List<Cidr> result = CidrSet.aggregate(cidrs("10.0.0.0/8"));
        assertThatThrownBy(() -> result.add(result.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void largeHostRouteSetsAggregateExactly() {
        List<Cidr> hosts = new ArrayList<>();
        for (int i = 0; i < 65536; i++) {
            hosts.add(Cidr.of(IpAddress.v4(0x0a010000 + i)));
        }
        Collections.shuffle(hosts, new Random(1));
        assertThat(CidrSet.aggregate(hosts)).isEqualTo(cidrs("10.1.0.0/16"));

        // 20k random hosts in fd00::/112: compare the covered suffixes as bit sets.
        Random random = new Random(2);
        List<Cidr> scattered = new ArrayList<>();
        BitSet expected = new BitSet(1 << 16);
        for (int i = 0; i < 20_000; i++) {
            int suffix = random.nextInt(1 << 16);
            expected.set(suffix);
            scattered.add(Cidr.of(IpAddress.v6(0xfd00L << 48, suffix)));
        }
        List<Cidr> aggregated = CidrSet.aggregate(scattered);
        BitSet covered = new BitSet(1 << 16);
        for (Cidr c : aggregated) {
            covered.set((int) c.first().lo(), (int) c.last().lo() + 1);
        }
        assertThat(covered).isEqualTo(expected);
        assertThat(aggregated.size()).isLessThan(expected.cardinality());
    }

    @Test
    void subtractingExceptsLeavesTheMinimalRemainder() {
        assertThat(CidrSet.subtract(Cidr.parse("10.0.0.0/24").cidr(), cidrs("10.0.0.0/25")))
                .isEqualTo(cidrs("10.0.0.128/25"));
        assertThat(CidrSet.subtract(Cidr.parse("10.0.0.0/24").cidr(), cidrs("10.0.0.5/32")))
                .isEqualTo(cidrs(
                        "10.0.0.0/30",
                        "10.0.0.4/32",
                        "10.0.0.6/31",
                        "10.0.0.8/29",
                        "10.0.0.16/28",
                        "10.0.0.32/27",
                        "10.0.0.64/26",
                        "10.0.0.128/25"));
    }

    @Test
    void subtractingFromTheIpv4InternetKeepsEverythingButPrivateRanges() {
        List<Cidr> rest = CidrSet.subtract(
                Cidr.parse("0.0.0.0/0").cidr(), cidrs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"));
        // The paths down to the three excepts pass 8 + 11 + 14 distinct shorter prefixes; each
        // leaves its off-path half, except the two where the paths fork (0.0.0.0/0, 128.0.0.0/1).
        assertThat(rest).hasSize(8 + 11 + 14 - 2);
        assertThat(CidrSet.contains(rest, IpAddress.parse("8.8.8.8"))).isTrue();
        assertThat(CidrSet.contains(rest, IpAddress.parse("10.1.2.3"))).isFalse();
        assertThat(CidrSet.contains(rest, IpAddress.parse("172.31.255.255"))).isFalse();
        assertThat(CidrSet.contains(rest, IpAddress.parse("172.32.0.0"))).isTrue();
        assertThat(CidrSet.contains(rest, IpAddress.parse("192.168.0.0"))).isFalse();
    }

    @Test
    void exceptCoveringTheBaseLeavesNothing() {
        assertThat(CidrSet.subtract(Cidr.parse("10.1.0.0/16").cidr(), cidrs("10.0.0.0/8")))
                .isEmpty();
        assertThat(CidrSet.subtract(Cidr.parse("10.1.0.0/16").cidr(), cidrs("10.1.0.0/16")))
                .isEmpty();
        assertThat(CidrSet.subtract(Cidr.parse("10.1.0.0/16").cidr(), cidrs("10.1.0.0/17", "10.1.128.0/17")))
                .isEmpty();
    }

    @Test
    void exceptsOfTheOtherFamilyOrOutsideTheBaseRemoveNothing() {
        Cidr base = Cidr.parse("10.0.0.0/8").cidr();
        assertThat(CidrSet.subtract(base, cidrs("::/0", "11.0.0.0/8", "::ffff:10.0.0.0/104")))
                .containsExactly(base);
    }

    @Test
    void containsChecksEveryEntryOfAnUnsortedList() {
        List<Cidr> list = cidrs("fd00::/8", "192.168.0.0/16", "10.0.0.0/8");
        assertThat(CidrSet.contains(list, IpAddress.parse("10.9.9.9"))).isTrue();
        assertThat(CidrSet.contains(list, IpAddress.parse("fdff::1"))).isTrue();
        assertThat(CidrSet.contains(list, IpAddress.parse("::ffff:10.9.9.9"))).isFalse();
        assertThat(CidrSet.contains(list, IpAddress.parse("11.0.0.0"))).isFalse();
        assertThat(CidrSet.contains(List.of(), IpAddress.parse("11.0.0.0"))).isFalse();
    }
}
