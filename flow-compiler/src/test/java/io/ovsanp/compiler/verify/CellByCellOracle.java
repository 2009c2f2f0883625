package io.ovsanp.compiler.verify;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ContainerPort;
import io.ovsanp.compiler.cluster.EndpointSliceInfo;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.cluster.ServiceInfo;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.dns.ResolverState;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.IpProto;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.pipeline.Placement;
import io.ovsanp.compiler.policy.Destination;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.sim.AmbiguousLookupException;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.SimResult;
import io.ovsanp.compiler.sim.Simulator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The verifier as it first was, the test's oracle: every cell of one global partition of each field
 * (every cut any flow or policy makes), one packet each through the whole flow table and the whole
 * evaluator, no pruning and no classes. Slow and plainly exhaustive; {@link Verifier} must agree with
 * it on whether a node's flows are equal to the policy.
 */
final class CellByCellOracle {
    /**
     * IPv6 link-local multicast, which the classifier passes before any policy with neighbour
     * discovery (docs/architecture.md, "The pipeline"): its verdict is allow on every node.
     */
    static final Cidr LINK_LOCAL_MULTICAST = Cidr.parse("ff02::/16").cidr();

    /** The protocol numbers that carry a destination port (docs/semantics.md, "Ports"). */
    private static final List<Integer> PORT_PROTOCOLS = List.of(6, 17, 132);

    private final ClusterSnapshot snapshot;
    private final EffectivePolicies policies;
    private final CompileOptions options;
    private final Evaluator evaluator;

    private final ResolverStates learned;

    CellByCellOracle(
            ClusterSnapshot snapshot, EffectivePolicies policies, CompileOptions options, ResolverStates learned) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.options = Objects.requireNonNull(options, "options");
        this.learned = learned;
        this.evaluator = new Evaluator(snapshot, policies, options.serviceVips(), learned);
    }

    /**
     * Checks {@code flows}, the flows of {@code node}'s switch, cell by cell, keeping the first
     * {@code maxCounterexamples} differences.
     *
     * @throws IllegalArgumentException when a flow cannot be cut into intervals (a non-prefix mask
     *     on an address) or holds an action the simulator does not model
     */
    VerifyResult verify(String node, FlowSet flows, int maxCounterexamples) {
        if (maxCounterexamples < 0) {
            throw new IllegalArgumentException("maxCounterexamples < 0: " + maxCounterexamples);
        }
        Run run = new Run(node, new Simulator(flows), maxCounterexamples);
        FieldPartition ports = new FieldPartition(Field.TP_DST.bits());
        for (Flow f : flows) {
            f.match().get(Field.TP_DST).ifPresent(ports::addMatch);
        }
        policyPorts(ports);
        List<BigInteger> portCells = ports.representatives();
        for (IpFamily family : IpFamily.values()) {
            run.family(family, flows, portCells);
        }
        return new VerifyResult(node, run.cells, run.differing, run.cells, run.found);
    }

    /** Every port a policy, a named container port or a Service names. */
    private void policyPorts(FieldPartition ports) {
        for (EffectiveRule rule : allRules()) {
            for (PortMatch m : rule.ports()) {
                if (m instanceof PortMatch.Number n) {
                    ports.addPoint(BigInteger.valueOf(n.port()));
                } else if (m instanceof PortMatch.Range r && r.start() <= r.end()) {
                    ports.addInterval(BigInteger.valueOf(r.start()), BigInteger.valueOf(r.end()));
                }
                // Named ports resolve to container ports, added below; AnyPort splits nothing.
            }
        }
        for (PodInfo pod : snapshot.pods()) {
            for (ContainerPort cp : pod.ports()) {
                ports.addPoint(BigInteger.valueOf(cp.port()));
            }
        }
        for (ServiceInfo svc : snapshot.services()) {
            for (ServiceInfo.ServicePort sp : svc.ports()) {
                ports.addPoint(BigInteger.valueOf(sp.port()));
            }
        }
        for (EndpointSliceInfo slice : snapshot.endpointSlices()) {
            for (EndpointSliceInfo.EndpointPort ep : slice.ports()) {
                ports.addPoint(BigInteger.valueOf(ep.port()));
            }
        }
    }

    /** Every address and CIDR of {@code family} the evaluator can tell apart. */
    private void policyAddresses(IpFamily family, FieldPartition addresses) {
        if (family == IpFamily.V6) {
            addresses.addCidr(LINK_LOCAL_MULTICAST);
        }
        for (PodInfo pod : snapshot.pods()) {
            addAll(family, pod.ips(), addresses);
        }
        for (NodeInfo n : snapshot.nodes()) {
            addAll(family, n.addresses(), addresses);
        }
        for (ServiceInfo svc : snapshot.services()) {
            addAll(family, svc.clusterIps(), addresses);
        }
        for (EndpointSliceInfo slice : snapshot.endpointSlices()) {
            addAll(family, slice.addresses(), addresses);
        }
        List<ResolverState> states = new ArrayList<>(learned.byAddress().values());
        states.add(learned.forPod(List.of()));
        for (ResolverState st : states) {
            st.addresses().values().forEach(ips -> addAll(family, List.copyOf(ips), addresses));
        }
        for (EffectiveRule rule : allRules()) {
            for (Destination d : rule.destinations()) {
                if (d instanceof Destination.Cidrs cidrs) {
                    for (Cidr c : cidrs.cidrs()) {
                        if (c.family() == family) {
                            addresses.addCidr(c);
                        }
                    }
                }
            }
        }
    }

    private static void addAll(IpFamily family, List<IpAddress> ips, FieldPartition addresses) {
        for (IpAddress ip : ips) {
            if (ip.family() == family) {
                addresses.addPoint(ip.toBigInteger());
            }
        }
    }

    private List<EffectiveRule> allRules() {
        List<EffectiveRule> all = new ArrayList<>();
        for (Direction d : Direction.values()) {
            for (EffectiveAdminPolicy p : policies.admin()) all.addAll(p.rules(d));
            for (EffectiveAdminPolicy p : policies.baseline()) all.addAll(p.rules(d));
            for (EffectiveNetworkPolicy p : policies.networkPolicies()) all.addAll(p.rules(d));
        }
        return all;
    }

    /** The node a pod address belongs to, as the evaluator picks the pod. */
    private Optional<String> nodeOf(IpAddress ip) {
        List<PodInfo> pods = evaluator.matcher().podsWithIp(ip);
        return pods.isEmpty() ? Optional.empty() : Optional.of(pods.get(0).nodeName());
    }

    /** One verification: the counters and the simulator of the node's flows. */
    private final class Run {
        final String node;
        final Simulator sim;
        final int max;
        final TableId start;
        final Placement placement;
        final List<Counterexample> found = new ArrayList<>();
        long cells;
        long differing;

        Run(String node, Simulator sim, int max) {
            this.node = node;
            this.sim = sim;
            this.max = max;
            this.placement = options.pipeline().placement();
            this.start = TableId.of(placement.firstTable());
        }

        void family(IpFamily family, FlowSet flows, List<BigInteger> portCells) {
            Field srcField = family == IpFamily.V4 ? Field.IPV4_SRC : Field.IPV6_SRC;
            Field dstField = family == IpFamily.V4 ? Field.IPV4_DST : Field.IPV6_DST;
            FieldPartition srcs = new FieldPartition(family.bits());
            FieldPartition dsts = new FieldPartition(family.bits());
            Set<Integer> protos = new TreeSet<>(PORT_PROTOCOLS);
            protos.add(family == IpFamily.V4 ? IpProto.ICMP.number() : IpProto.ICMPV6.number());
            for (Flow f : flows) {
                f.match().get(srcField).ifPresent(srcs::addMatch);
                f.match().get(dstField).ifPresent(dsts::addMatch);
                boolean ofFamily = f.match()
                        .get(Field.ETH_TYPE)
                        .map(e -> e.value().intValue() == family.ethType())
                        .orElse(false);
                if (ofFamily) {
                    f.match().get(Field.IP_PROTO).map(FieldMatch::value).ifPresent(v -> protos.add(v.intValue()));
                }
            }
            policyAddresses(family, srcs);
            policyAddresses(family, dsts);
            Verifier.otherProtocol(protos).ifPresent(protos::add);

            Set<IpAddress> local = new LinkedHashSet<>();
            for (PodInfo pod : snapshot.pods()) {
                if (!pod.hostNetwork() && pod.nodeName().equals(node)) {
                    pod.ips().stream().filter(ip -> ip.family() == family).forEach(local::add);
                }
            }
            // From each pod of the node, to anywhere.
            List<BigInteger> dstCells = dsts.representatives();
            for (IpAddress s : local) {
                for (BigInteger d : dstCells) {
                    connection(s, IpAddress.fromBigInteger(family, d), protos, portCells);
                }
            }
            // From anywhere else, to each pod of the node.
            for (BigInteger sv : srcs.representatives()) {
                IpAddress s = IpAddress.fromBigInteger(family, sv);
                if (local.contains(s)) {
                    continue;
                }
                for (IpAddress d : local) {
                    connection(s, d, protos, portCells);
                }
            }
        }

        void connection(IpAddress src, IpAddress dst, Set<Integer> protos, List<BigInteger> portCells) {
            for (int proto : protos) {
                if (PORT_PROTOCOLS.contains(proto)) {
                    for (BigInteger port : portCells) {
                        check(new Packet(src, dst, new IpProto(proto), port.intValueExact()));
                    }
                } else {
                    check(new Packet(src, dst, new IpProto(proto), 0));
                }
            }
        }

        void check(Packet p) {
            cells++;
            boolean egressHere = nodeOf(p.src()).map(node::equals).orElse(false);
            boolean ingressHere = nodeOf(p.dst()).map(node::equals).orElse(false);
            boolean expected = true;
            List<Verdict> sides = new ArrayList<>(2);
            List<String> names = new ArrayList<>(2);
            if (LINK_LOCAL_MULTICAST.contains(p.dst())) {
                egressHere = false;
                ingressHere = false;
            }
            if (egressHere) {
                Verdict v = evaluator.evaluate(p, Direction.EGRESS);
                expected = v.allowed();
                sides.add(v);
                names.add("egress");
            }
            if (ingressHere) {
                Verdict v = evaluator.evaluate(p, Direction.INGRESS);
                expected &= v.allowed();
                sides.add(v);
                names.add("ingress");
            }
            boolean got;
            String path;
            try {
                SimResult r = sim.run(toSim(p), start);
                got = r.allowed();
                path = got == expected ? "" : r.traceText();
            } catch (AmbiguousLookupException | IllegalStateException e) {
                // OVS's choice is unspecified, or the flows loop: no verdict equals the evaluator's.
                differing++;
                record(p, false, "undefined: " + e.getMessage(), sides, names, expected);
                return;
            }
            if (got != expected) {
                differing++;
                record(p, got, path, sides, names, expected);
            }
        }

        void record(Packet p, boolean got, String path, List<Verdict> sides, List<String> names, boolean expected) {
            if (found.size() >= max) {
                return;
            }
            StringBuilder why = new StringBuilder();
            for (int i = 0; i < sides.size(); i++) {
                if (i > 0) why.append('\n');
                why.append(names.get(i)).append(": ").append(sides.get(i).describe());
            }
            if (sides.isEmpty()) {
                why.append(
                        LINK_LOCAL_MULTICAST.contains(p.dst())
                                ? "ALLOW: IPv6 link-local multicast passes before any policy"
                                : "ALLOW: neither address is a pod of node " + node);
            }
            found.add(new Counterexample(p, got, path, expected, why.toString()));
        }

        SimPacket toSim(Packet p) {
            return Verifier.simPacket(p, placement, evaluator.matcher(), node);
        }
    }
}
