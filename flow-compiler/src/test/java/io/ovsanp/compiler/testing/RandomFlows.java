package io.ovsanp.compiler.testing;

import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Random valid flows covering everything the flow model can express, for round-trip and oracle
 * tests. Driven by a {@link Random} so jqwik ({@code Arbitraries.randomValue}) and plain seeded
 * tests share it. Every flow it returns is one OVS 3.1 accepts.
 */
public final class RandomFlows {
    private static final long[] RESERVED_PORTS = {0xffff_fff8L, 0xffff_fffaL, 0xffff_fffbL, 0xffff_fffcL, 0xffff_fffeL};
    private static final int[] OTHER_ETH_TYPES = {0x0806, 0x8035, 0x8847, 0x8848, 0x88cc, 0x1234, 0x0001};
    private static final int[] PROTOS = {6, 17, 132, 1, 58, 2, 47, 0, 255};

    private RandomFlows() {}

    public static Flow flow(Random r) {
        int table = r.nextInt(4) == 0 ? r.nextInt(254) : r.nextInt(8);
        int priority = r.nextInt(8) == 0 ? pick(r, 0, 65535, 32768) : r.nextInt(65536);
        long cookie = r.nextInt(6) == 0
                ? 0
                : r.nextInt(3) == 0
                        ? r.nextLong()
                        : Cookie.of(r.nextInt(3), Cookie.Category.ADMIN, r.nextInt(1000))
                                .value();
        Match match = match(r);
        return new Flow(TableId.of(table), Priority.of(priority), new Cookie(cookie), match, actions(r, table, match));
    }

    public static Match match(Random r) {
        Match m = Match.ANY;
        int kind = r.nextInt(10);
        if (kind < 4) {
            m = ip(r, IpFamily.V4);
        } else if (kind < 7) {
            m = ip(r, IpFamily.V6);
        } else if (kind < 8) {
            m = m.with(Field.ETH_TYPE, OTHER_ETH_TYPES[r.nextInt(OTHER_ETH_TYPES.length)]);
        }
        if (r.nextInt(4) == 0) {
            int mask = 1 + r.nextInt(0xff);
            m = m.with(FieldMatch.masked(Field.CT_STATE, r.nextInt(0x100) & mask, mask));
        }
        if (r.nextInt(6) == 0) {
            m = m.with(Field.CT_ZONE, r.nextInt(0x10000));
        }
        if (r.nextInt(6) == 0) {
            m = m.with(number32(r, Field.CT_MARK));
        }
        if (r.nextInt(6) == 0) {
            m = m.with(Field.CONJ_ID, r.nextBoolean() ? r.nextInt(100) : r.nextLong() & 0xffff_ffffL);
        }
        for (int i = 0; i < 8; i++) {
            if (r.nextInt(10) == 0) {
                m = m.with(number32(r, Field.reg(i)));
            }
        }
        if (r.nextInt(6) == 0) {
            m = m.with(Field.IN_PORT, r.nextInt(5) == 0 ? 0xffff_fffeL : 1 + r.nextInt(0xfeff));
        }
        return m;
    }

    private static Match ip(Random r, IpFamily family) {
        Match m = Match.ethType(family);
        boolean v4 = family == IpFamily.V4;
        if (r.nextInt(3) > 0) {
            m = m.with(address(r, v4 ? Field.IPV4_SRC : Field.IPV6_SRC, family));
        }
        if (r.nextInt(3) > 0) {
            m = m.with(address(r, v4 ? Field.IPV4_DST : Field.IPV6_DST, family));
        }
        if (r.nextInt(4) > 0) {
            int proto = PROTOS[r.nextInt(PROTOS.length)];
            m = m.with(Field.IP_PROTO, proto);
            if ((proto == 6 || proto == 17 || proto == 132) && r.nextInt(3) > 0) {
                m = m.with(
                        r.nextBoolean()
                                ? FieldMatch.exact(Field.TP_DST, r.nextInt(0x10000))
                                : FieldMatch.masked(Field.TP_DST, r.nextInt(0x10000), 1 + r.nextInt(0xffff)));
            }
        }
        return m;
    }

    /** A prefix most of the time, sometimes an arbitrary bit mask; addresses near the edges too. */
    public static FieldMatch address(Random r, Field field, IpFamily family) {
        BigInteger value = IpAddress.fromBigInteger(family, new BigInteger(family.bits(), r))
                .toBigInteger();
        if (family == IpFamily.V6 && r.nextInt(4) == 0) {
            // ::a.b.c.d, ::ffff:a.b.c.d and ::n print specially with glibc's inet_ntop.
            BigInteger low = BigInteger.valueOf(r.nextInt(3) == 0 ? r.nextInt(0x10000) : r.nextLong() & 0xffff_ffffL);
            value = r.nextBoolean() ? low : low.or(BigInteger.valueOf(0xffffL).shiftLeft(32));
        }
        int bits = family.bits();
        BigInteger mask;
        if (r.nextInt(5) == 0) {
            mask = new BigInteger(bits, r);
            if (family == IpFamily.V6) {
                // ovs-ofctl 3.1 reads "5145:5f7a::/..."-style masks as a prefix length when they start
                // with a decimal digit, so it cannot load them; dump-flows prints them fine. Keep
                // the first hex digit a letter.
                mask = mask.clearBit(127).setBit(127).setBit(125).clearBit(124);
            }
            if (mask.signum() == 0) {
                mask = BigInteger.ONE;
            }
        } else {
            int prefix = r.nextInt(3) == 0 ? bits : 1 + r.nextInt(bits);
            mask = FieldMatch.allOnes(prefix).shiftLeft(bits - prefix);
        }
        return new FieldMatch(field, value, mask);
    }

    private static FieldMatch number32(Random r, Field f) {
        long v = r.nextBoolean() ? r.nextInt(16) : r.nextLong() & 0xffff_ffffL;
        if (r.nextBoolean()) {
            return FieldMatch.exact(f, v);
        }
        long mask = r.nextBoolean() ? 0xffL << (8 * r.nextInt(4)) : 1 + (r.nextLong() & 0xffff_fffeL);
        return FieldMatch.masked(f, v & mask, mask);
    }

    public static List<FlowAction> actions(Random r, int table, Match match) {
        List<FlowAction> actions = new ArrayList<>();
        if (r.nextInt(4) == 0) {
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                int clauses = 2 + r.nextInt(r.nextInt(5) == 0 ? 63 : 3);
                long id = r.nextBoolean() ? r.nextInt(50) : r.nextLong() & 0xffff_ffffL;
                actions.add(new FlowAction.Conjunction(new ConjId(id), 1 + r.nextInt(clauses), clauses));
            }
            return actions;
        }
        boolean ip = match.get(Field.ETH_TYPE)
                .map(e -> e.value().intValue() == 0x0800 || e.value().intValue() == 0x86dd)
                .orElse(false);
        boolean invalidOnly = match.get(Field.CT_STATE)
                .map(c -> (c.value().intValue() & 0x10) != 0)
                .orElse(false);
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(ip ? 5 : 4);
            if (k == 0) {
                actions.add(new FlowAction.Output(
                        r.nextBoolean() ? RESERVED_PORTS[r.nextInt(RESERVED_PORTS.length)] : r.nextInt(0xff00)));
            } else if (k == 1) {
                actions.add(new FlowAction.Resubmit(TableId.of(r.nextInt(254))));
            } else if (k == 2) {
                actions.add(new FlowAction.SetField(
                        Field.reg(r.nextInt(8)), r.nextBoolean() ? r.nextInt(4) : r.nextLong() & 0xffff_ffffL));
            } else if (k == 3) {
                actions.add(FlowAction.Output.NORMAL);
            } else {
                actions.add(ct(r, invalidOnly));
            }
        }
        if (table < 253 && r.nextInt(3) == 0) {
            actions.add(new FlowAction.GotoTable(TableId.of(table + 1 + r.nextInt(253 - table))));
        }
        return actions;
    }

    /** OVS refuses ct(commit) on a flow that only matches invalid (+inv) packets. */
    private static FlowAction.Ct ct(Random r, boolean invalidOnly) {
        boolean commit = !invalidOnly && r.nextBoolean();
        List<FlowAction> nested = new ArrayList<>();
        if (commit && r.nextBoolean()) {
            nested.add(new FlowAction.SetField(
                    Field.CT_MARK, r.nextBoolean() ? r.nextInt(4) : r.nextLong() & 0xffff_ffffL));
        }
        int zone = r.nextInt(3) == 0 ? 0 : r.nextInt(0x10000);
        Optional<TableId> table = r.nextBoolean() ? Optional.of(TableId.of(r.nextInt(254))) : Optional.empty();
        return new FlowAction.Ct(commit, zone, table, nested);
    }

    private static int pick(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }
}
