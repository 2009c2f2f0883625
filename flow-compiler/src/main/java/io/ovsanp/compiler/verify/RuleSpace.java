package io.ovsanp.compiler.verify;

import io.ovsanp.compiler.eval.RuleMatcher;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every rule of the policies numbered, with what its peer can be without naming a cluster object: any
 * address, or the addresses inside its CIDRs. An address that is no pod, node, Service, endpoint or
 * learned name (an anonymous address) can match a rule only that way, so the rules an anonymous cell
 * can match are the any-peer rules and those with a CIDR around it; the others are left out of its
 * evaluation ({@link io.ovsanp.compiler.eval.Evaluator#evaluate(io.ovsanp.compiler.eval.Packet,
 * Direction, EffectivePolicies)}).
 */
final class RuleSpace {
    /** One CIDR of a rule's peers, as an interval of its family's addresses. */
    record Interval(int rule, BigInteger lo, BigInteger hi) {}

    private final EffectivePolicies policies;
    private final List<EffectiveRule> rules = new ArrayList<>();
    private final Map<EffectiveRule, Integer> index = new IdentityHashMap<>();
    private final Map<Direction, BitSet> anyPeer = new EnumMap<>(Direction.class);
    private final Map<Direction, BitSet> inDirection = new EnumMap<>(Direction.class);
    /** Per rule: its tier (0 Admin, 1 NetworkPolicy, 2 Baseline) and the policy's position in it. */
    private final List<int[]> owner = new ArrayList<>();

    RuleSpace(EffectivePolicies policies) {
        this.policies = policies;
        for (Direction d : Direction.values()) {
            anyPeer.put(d, new BitSet());
            inDirection.put(d, new BitSet());
            for (int p = 0; p < policies.admin().size(); p++)
                add(d, policies.admin().get(p).rules(d), 0, p);
            for (int p = 0; p < policies.networkPolicies().size(); p++) {
                add(d, policies.networkPolicies().get(p).rules(d), 1, p);
            }
            for (int p = 0; p < policies.baseline().size(); p++)
                add(d, policies.baseline().get(p).rules(d), 2, p);
        }
    }

    private void add(Direction d, List<EffectiveRule> list, int tier, int policy) {
        for (EffectiveRule r : list) {
            int i = rules.size();
            rules.add(r);
            owner.add(new int[] {tier, policy});
            index.put(r, i);
            inDirection.get(d).set(i);
            if (r.anyDestination()) {
                anyPeer.get(d).set(i);
            }
        }
    }

    /** The CIDRs of {@code family} among the peers of the rules of direction {@code d}. */
    List<Interval> cidrIntervals(Direction d, IpFamily family) {
        List<Interval> out = new ArrayList<>();
        BitSet bits = inDirection.get(d);
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            for (Destination dest : rules.get(i).destinations()) {
                if (dest instanceof Destination.Cidrs cidrs) {
                    for (Cidr c : cidrs.cidrs()) {
                        if (c.family() == family) {
                            out.add(new Interval(
                                    i, c.first().toBigInteger(), c.last().toBigInteger()));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The rules of direction {@code d} an anonymous address can match: any-peer ones and {@code inCidr}. */
    BitSet anonymous(Direction d, BitSet inCidr) {
        BitSet out = (BitSet) anyPeer.get(d).clone();
        out.or(inCidr);
        return out;
    }

    /** Every rule of direction {@code d}. */
    BitSet all(Direction d) {
        return (BitSet) inDirection.get(d).clone();
    }

    /** The rules of direction {@code d} whose peers hold {@code peer} for the subject pod at {@code subject}. */
    BitSet matching(Direction d, RuleMatcher matcher, IpAddress peer, IpAddress subject) {
        BitSet out = new BitSet();
        BitSet bits = inDirection.get(d);
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            if (matcher.destinationMatches(rules.get(i), peer, subject)) {
                out.set(i);
            }
        }
        return out;
    }

    /**
     * The policies with only the rules of {@code relevant} in direction {@code d} (and none of the
     * other direction), Admin and Baseline policies left without a rule dropped, every NetworkPolicy
     * kept (isolation does not depend on its rules). Rules are numbered in policy and rule order, so
     * walking the set keeps each policy's order.
     */
    EffectivePolicies among(Direction d, BitSet relevant) {
        List<Map<Integer, List<EffectiveRule>>> kept = List.of(new TreeMap<>(), new HashMap<>(), new TreeMap<>());
        BitSet mine = inDirection.get(d);
        for (int i = relevant.nextSetBit(0); i >= 0; i = relevant.nextSetBit(i + 1)) {
            if (!mine.get(i)) continue;
            int[] o = owner.get(i);
            kept.get(o[0]).computeIfAbsent(o[1], x -> new ArrayList<>()).add(rules.get(i));
        }
        List<EffectiveNetworkPolicy> nps =
                new ArrayList<>(policies.networkPolicies().size());
        for (int p = 0; p < policies.networkPolicies().size(); p++) {
            EffectiveNetworkPolicy np = policies.networkPolicies().get(p);
            List<EffectiveRule> rs = kept.get(1).getOrDefault(p, List.of());
            nps.add(new EffectiveNetworkPolicy(
                    np.ref(),
                    np.podSelector(),
                    np.isolatesEgress(),
                    d == Direction.EGRESS ? rs : List.of(),
                    np.isolatesIngress(),
                    d == Direction.INGRESS ? rs : List.of()));
        }
        return new EffectivePolicies(
                tier(policies.admin(), d, kept.get(0)), nps, tier(policies.baseline(), d, kept.get(2)), List.of());
    }

    private static List<EffectiveAdminPolicy> tier(
            List<EffectiveAdminPolicy> ps, Direction d, Map<Integer, List<EffectiveRule>> kept) {
        List<EffectiveAdminPolicy> out = new ArrayList<>(kept.size());
        kept.forEach((p, rs) -> {
            EffectiveAdminPolicy policy = ps.get(p);
            out.add(new EffectiveAdminPolicy(
                    policy.ref(),
                    policy.tier(),
                    policy.priority(),
                    policy.subject(),
                    d == Direction.EGRESS ? rs : List.of(),
                    d == Direction.INGRESS ? rs : List.of(),
                    policy.audited()));
        });
        return out;
    }
}
