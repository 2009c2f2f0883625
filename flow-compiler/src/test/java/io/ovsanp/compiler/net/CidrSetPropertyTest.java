package io.ovsanp.compiler.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link CidrSet} on random "scenes": prefixes that all live in one 8-bit window at a
 * random bit position of a random root address, so they nest, touch and repeat often (a uniform
 * generator would almost never produce siblings). Membership is checked on every value of the
 * window with the bits below it all zero, all one and random, plus the bounds of every prefix and
 * the addresses just outside them. Each scene mixes an IPv4 and an IPv6 window.
 */
class CidrSetPropertyTest {

    private static final int WINDOW = 8;

    /** Prefixes and probe addresses of one family around one window. */
    record Scene(List<Cidr> cidrs, List<IpAddress> probes) {}

    @Property(tries = 1000)
    void aggregatePreservesMembership(@ForAll("scenes") List<Scene> scenes) {
        List<Cidr> input = cidrsOf(scenes);
        List<Cidr> aggregated = CidrSet.aggregate(input);
        List<IpAddress> wrong = new ArrayList<>();
        for (IpAddress probe : probesOf(scenes, input)) {
            if (CidrSet.contains(aggregated, probe) != CidrSet.contains(input, probe)) {
                wrong.add(probe);
            }
        }
        assertThat(wrong).as("membership differs: %s vs %s", aggregated, input).isEmpty();
    }

    @Property(tries = 1000)
    void aggregateIsSortedWithNoCoveredOrMergeableEntries(@ForAll("scenes") List<Scene> scenes) {
        List<Cidr> aggregated = CidrSet.aggregate(cidrsOf(scenes));
        assertMinimal(aggregated);
        assertThat(CidrSet.aggregate(aggregated)).isEqualTo(aggregated);
    }

    @Property(tries = 1000)
    void subtractKeepsExactlyTheBaseOutsideEveryExcept(@ForAll("scenes") List<Scene> scenes, @ForAll long seed) {
        List<Cidr> all = cidrsOf(scenes);
        if (all.isEmpty()) {
            return;
        }
        Random random = new Random(seed);
        Cidr picked = all.get(random.nextInt(all.size()));
        // Widen the base a little so it usually contains several of the other prefixes.
        Cidr base = new Cidr(picked.network(), Math.max(0, picked.prefix() - random.nextInt(WINDOW + 1)));
        List<Cidr> except = all.subList(0, random.nextInt(all.size() + 1));
        List<Cidr> rest = CidrSet.subtract(base, except);
        assertMinimal(rest);
        List<IpAddress> probes = probesOf(scenes, all);
        probes.add(base.first());
        probes.add(base.last());
        List<IpAddress> wrong = new ArrayList<>();
        for (IpAddress probe : probes) {
            boolean expected = base.contains(probe) && !CidrSet.contains(except, probe);
            if (CidrSet.contains(rest, probe) != expected) {
                wrong.add(probe);
            }
        }
        assertThat(wrong).as("%s minus %s = %s", base, except, rest).isEmpty();
        for (Cidr c : rest) {
            assertThat(base.contains(c)).isTrue();
        }
    }

    /** Sorted, pairwise disjoint, and no two entries are the halves of one block. */
    private static void assertMinimal(List<Cidr> cidrs) {
        for (int i = 0; i < cidrs.size(); i++) {
            for (int j = i + 1; j < cidrs.size(); j++) {
                Cidr a = cidrs.get(i);
                Cidr b = cidrs.get(j);
                boolean mergeable = a.family() == b.family()
                        && a.prefix() == b.prefix()
                        && a.prefix() > 0
                        && new Cidr(a.network(), a.prefix() - 1).equals(new Cidr(b.network(), b.prefix() - 1));
                if (a.compareTo(b) >= 0 || a.overlaps(b) || mergeable) {
                    throw new AssertionError(a + " and " + b + " are out of order, overlap or mergeable in " + cidrs);
                }
            }
        }
    }

    private static List<Cidr> cidrsOf(List<Scene> scenes) {
        List<Cidr> all = new ArrayList<>();
        scenes.forEach(s -> all.addAll(s.cidrs()));
        return all;
    }

    private static List<IpAddress> probesOf(List<Scene> scenes, List<Cidr> cidrs) {
        List<IpAddress> probes = new ArrayList<>();
        scenes.forEach(s -> probes.addAll(s.probes()));
        for (Cidr c : cidrs) {
            BigInteger first = c.first().toBigInteger();
            BigInteger last = c.last().toBigInteger();
            BigInteger limit = BigInteger.ONE.shiftLeft(c.family().bits());
            probes.add(c.first());
            probes.add(c.last());
            if (first.signum() > 0) {
                probes.add(IpAddress.fromBigInteger(c.family(), first.subtract(BigInteger.ONE)));
            }
            if (last.add(BigInteger.ONE).compareTo(limit) < 0) {
                probes.add(IpAddress.fromBigInteger(c.family(), last.add(BigInteger.ONE)));
            }
        }
        return probes;
    }

    @Provide
    Arbitrary<List<Scene>> scenes() {
        Arbitrary<Scene> v4 = Arbitraries.longs().map(seed -> scene(IpFamily.V4, new Random(seed)));
        Arbitrary<Scene> v6 = Arbitraries.longs().map(seed -> scene(IpFamily.V6, new Random(seed)));
        return Arbitraries.oneOf(
                v4.list().ofSize(1),
                v6.list().ofSize(1),
                v4.list().ofSize(1).flatMap(a -> v6.map(b -> List.of(a.get(0), b))));
    }

    private static Scene scene(IpFamily family, Random random) {
        int bits = family.bits();
        int window = random.nextInt(bits - WINDOW + 1); // first bit of the window
        int below = bits - window - WINDOW;
        BigInteger root = new BigInteger(bits, random).shiftRight(bits - window).shiftLeft(bits - window);
        List<Cidr> cidrs = new ArrayList<>();
        int count = random.nextInt(40);
        for (int i = 0; i < count; i++) {
            BigInteger address = at(root, random.nextInt(1 << WINDOW), below, random);
            // Mostly prefixes that end inside the window; sometimes longer ones down to hosts.
            int prefix = random.nextInt(4) > 0
                    ? window + random.nextInt(WINDOW + 1)
                    : window + random.nextInt(bits - window + 1);
            cidrs.add(new Cidr(IpAddress.fromBigInteger(family, address), prefix));
        }
        List<IpAddress> probes = new ArrayList<>();
        for (int v = 0; v < 1 << WINDOW; v++) {
            probes.add(IpAddress.fromBigInteger(family, at(root, v, below, random)));
        }
        return new Scene(cidrs, probes);
    }

    /** {@code root} with {@code value} in the window and random bits below it. */
    private static BigInteger at(BigInteger root, int value, int below, Random random) {
        BigInteger low = switch (random.nextInt(3)) {
            case 0 -> BigInteger.ZERO;
            case 1 -> BigInteger.ONE.shiftLeft(below).subtract(BigInteger.ONE);
            default -> new BigInteger(below, random);
        };
        return root.or(BigInteger.valueOf(value).shiftLeft(below)).or(low);
    }
}
