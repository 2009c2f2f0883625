package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The ports of a connectivity matrix: one representative per class of ports that the policies treat
 * alike, plus one "other" port that no rule names.
 *
 * <p>Per protocol, every port clause of every rule (both directions, all tiers) is an interval: a
 * {@code portNumber} one port, a {@code portRange} its range, a NetworkPolicy protocol without a port
 * 1..65535, a {@code namedPort} each number a pod's container port of that name (and protocol)
 * resolves to; in pre-DNAT mode the apiserver Service's ports count too (a packet to its ClusterIP
 * matches through the endpoints only on them). The interval ends cut 1..65535 into pieces on which
 * every clause, and so every verdict, is the same; each piece some clause covers is one {@link
 * PortClass} whose representative is its lowest port. The ports no clause covers all behave alike (so
 * does ICMP: a rule with ports never matches it); the "other" port stands for them: the lowest such
 * TCP port from 1024 up (else from 1; else UDP, then SCTP; else ICMP).
 */
final class MatrixPorts {
    private static final int MAX = 65535;
    private static final int OTHER_FROM = 1024;

    private MatrixPorts() {}

    /** A representative {@code port} for {@code first..last} of {@code protocol}; {@code other} for the rest. */
    record PortClass(Optional<Protocol> protocol, int port, int first, int last, boolean other) {
        PortClass(Protocol protocol, int port, int first, int last, boolean other) {
            this(Optional.of(protocol), port, first, last, other);
        }

        /** When every port of every protocol is named somewhere, ICMP stands for the rest. */
        static PortClass icmpOther() {
            return new PortClass(Optional.empty(), 0, 0, 0, true);
        }

        ConnectionProbe.Port probePort() {
            return new ConnectionProbe.Port(protocol, port);
        }

        /** {@code tcp/22}, {@code icmp}. */
        String label() {
            return probePort().toString();
        }

        /** What the representative stands for: {@code tcp 30000-32767}, {@code every port no rule names}. */
        String covers() {
            if (other) {
                return "other: stands for every port no rule names, and ICMP";
            }
            return protocol.orElseThrow().ofctlName() + " "
                    + (first == last ? String.valueOf(first) : first + "-" + last);
        }
    }

    private record Interval(Protocol protocol, int first, int last) {}

    static List<PortClass> of(ClusterSnapshot snapshot, EffectivePolicies policies, ServiceVips vips) {
        List<Interval> named = new ArrayList<>();
        for (EffectiveRule rule : rules(policies)) {
            for (PortMatch m : rule.ports()) {
                named.addAll(intervals(m, snapshot));
            }
        }
        for (ServiceInfo svc : snapshot.services()) {
            if (vips.appliesTo(svc)) {
                for (ServiceInfo.ServicePort sp : svc.ports()) {
                    named.add(new Interval(sp.protocol(), sp.port(), sp.port()));
                }
            }
        }
        List<PortClass> out = new ArrayList<>();
        Optional<PortClass> other = Optional.empty();
        for (Protocol p : Protocol.values()) {
            List<Interval> mine = named.stream().filter(i -> i.protocol() == p).toList();
            TreeSet<Integer> cuts = new TreeSet<>(List.of(1, MAX + 1));
            for (Interval i : mine) {
                cuts.add(i.first());
                cuts.add(i.last() + 1);
            }
            List<int[]> uncovered = new ArrayList<>();
            int from = cuts.first();
            for (int to : cuts.tailSet(from, false)) {
                int a = from;
                if (mine.stream().anyMatch(i -> i.first() <= a && a <= i.last())) {
                    out.add(new PortClass(p, a, a, to - 1, false));
                } else {
                    uncovered.add(new int[] {a, to - 1});
                }
                from = to;
            }
            if (other.isEmpty() && !uncovered.isEmpty()) {
                int port = uncovered.stream()
                        .filter(u -> u[1] >= OTHER_FROM)
                        .findFirst()
                        .map(u -> Math.max(u[0], OTHER_FROM))
                        .orElse(uncovered.get(0)[0]);
                other = Optional.of(new PortClass(p, port, port, port, true));
            }
        }
        out.add(other.orElse(PortClass.icmpOther()));
        return List.copyOf(out);
    }

    private static List<EffectiveRule> rules(EffectivePolicies policies) {
        List<EffectiveRule> rules = new ArrayList<>();
        for (Direction d : Direction.values()) {
            for (EffectiveAdminPolicy p : policies.admin()) rules.addAll(p.rules(d));
            for (EffectiveNetworkPolicy p : policies.networkPolicies()) rules.addAll(p.rules(d));
            for (EffectiveAdminPolicy p : policies.baseline()) rules.addAll(p.rules(d));
        }
        return rules;
    }

    private static List<Interval> intervals(PortMatch m, ClusterSnapshot snapshot) {
        if (m instanceof PortMatch.Number n) {
            return List.of(new Interval(n.protocol(), n.port(), n.port()));
        }
        if (m instanceof PortMatch.Range r) {
            return List.of(new Interval(r.protocol(), r.start(), r.end()));
        }
        if (m instanceof PortMatch.AnyPort a) {
            return List.of(new Interval(a.protocol(), 1, MAX));
        }
        PortMatch.Named named = (PortMatch.Named) m;
        List<Interval> out = new ArrayList<>();
        for (PodInfo pod : snapshot.pods()) {
            for (ContainerPort cp : pod.ports()) {
                if (cp.name().equals(named.name())
                        && named.protocol().map(p -> p == cp.protocol()).orElse(true)
                        && cp.port() >= 1) {
                    out.add(new Interval(cp.protocol(), cp.port(), cp.port()));
                }
            }
        }
        return out;
    }
}
