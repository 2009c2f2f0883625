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
import io.ovsanp.compiler.eval.RuleMatcher;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.FlowSet;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.net.Cidr;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import io.ovsanp.compiler.ofctl.CtStates;
import io.ovsanp.compiler.pipeline.Placement;
import io.ovsanp.compiler.policy.Direction;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.EffectiveRule;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.sim.AmbiguousLookupException;
import io.ovsanp.compiler.sim.SimPacket;
import io.ovsanp.compiler.sim.SimResult;
import io.ovsanp.compiler.sim.Simulator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Decides, for every packet that opens a connection on one node, whether that node's flows give the
 * reference evaluator's verdict (issue 18; docs/decisions.md, "verify: atomic predicates").
 *
 * <p>The header space: for each address of a pod of the node, every destination address (its egress
 * half), and every source address towards it (its ingress half); every IP protocol; every destination
 * port of TCP, UDP and SCTP. The free address of a half is swept in ascending order, cut wherever a
 * flow's condition on it or a CIDR of a rule begins or ends, and around every address the evaluator
 * can name (pods, nodes, Services, endpoints, learned {@code domainNames} answers). Each cell of the
 * sweep leaves some flows in play ({@link FlowSpace}) and some rules that can match it ({@link
 * RuleSpace}); its protocol × port plane is then cut by those flows' and rules' ports and checked
 * one packet per cell, the simulator on the flows in play against the evaluator on the rules that can
 * match. Cells of an anonymous address (none the evaluator can name) with the same flows in play and
 * the same rules are alike on every packet, so each such class is checked once; cells of named
 * addresses are checked each on its own.
 *
 * <p>The node's share of the verdict is the egress side when the source is a pod of the node and the
 * ingress side when the destination is, as the pipeline judges them (docs/architecture.md, "The
 * pipeline"). Packets run from the placement's first table as new connections: {@code ct(table=…)}
 * gives {@code +trk+new}, a CNI's conntrack has already given it, and with register identity the
 * register holds the source pod's IPv4 address.
 */
public final class Verifier {
    /**
     * IPv6 link-local multicast, which the classifier passes before any policy with neighbour
     * discovery (docs/architecture.md, "The pipeline"): its verdict is allow on every node.
     */
    static final Cidr LINK_LOCAL_MULTICAST = Cidr.parse("ff02::/16").cidr();

    /** The protocol numbers that carry a destination port (docs/semantics.md, "Ports"). */
    private static final List<Integer> PORT_PROTOCOLS = List.of(6, 17, 132);

    private final ClusterSnapshot snapshot;
    private final CompileOptions options;
    private final ResolverStates learned;
    private final Evaluator evaluator;
    private final RuleSpace rules;

    public Verifier(ClusterSnapshot snapshot, EffectivePolicies policies, CompileOptions options) {
        this(snapshot, policies, options, ResolverStates.NONE);
    }

    /**
     * {@code learned}: what the node's pods have learned from DNS, which their {@code domainNames}
     * peers match (as the switch's flows were compiled with).
     */
    public Verifier(
            ClusterSnapshot snapshot, EffectivePolicies policies, CompileOptions options, ResolverStates learned) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.options = Objects.requireNonNull(options, "options");
        this.learned = Objects.requireNonNull(learned, "learned");
        this.evaluator =
                new Evaluator(snapshot, Objects.requireNonNull(policies, "policies"), options.serviceVips(), learned);
        this.rules = new RuleSpace(policies);
    }

    /**
     * Checks {@code flows}, the flows of {@code node}'s switch, cell by cell, keeping the first
     * {@code maxCounterexamples} differences.
     *
     * @throws IllegalArgumentException when a flow cannot be cut into intervals (a non-prefix mask
     *     on an address) or holds an action the simulator does not model
     */
    public VerifyResult verify(String node, FlowSet flows, int maxCounterexamples) {
        return verify(node, flows, maxCounterexamples, 1);
    }

    /**
     * As {@link #verify(String, FlowSet, int)}, sweeping the halves of the node's pods on {@code
     * threads} threads of a pool that lives for this call; the result does not depend on them.
     */
    public VerifyResult verify(String node, FlowSet flows, int maxCounterexamples, int threads) {
        if (maxCounterexamples < 0) {
            throw new IllegalArgumentException("maxCounterexamples < 0: " + maxCounterexamples);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1: " + threads);
        }
        Run run = new Run(node, stage(flows), maxCounterexamples);
        List<Callable<Partial>> sweeps = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            run.family(family, sweeps);
        }
        List<Partial> parts = new ArrayList<>(sweeps.size());
        if (threads == 1 || sweeps.size() < 2) {
            for (Callable<Partial> sweep : sweeps) parts.add(call(sweep));
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, sweeps.size()), r -> {
                Thread t = new Thread(r, "ovs-anp-verify");
                t.setDaemon(true);
                return t;
            });
            try {
                for (Future<Partial> f : pool.invokeAll(sweeps)) parts.add(get(f));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while verifying node " + node, e);
            } finally {
                pool.shutdownNow();
            }
        }
        long cells = 0;
        long differing = 0;
        long packets = 0;
        List<Counterexample> found = new ArrayList<>();
        for (Partial part : parts) {
            cells += part.cells;
            differing += part.differing;
            packets += part.packets;
            for (Packet p : part.examples) {
                if (found.size() < maxCounterexamples) found.add(run.confirm(p));
            }
        }
        return new VerifyResult(node, cells, differing, packets, found);
    }

    /**
     * The flows of the placement's stage: its tables only (a switch's dump also holds the CNI's), and,
     * when the stage hands allowed packets back to the CNI, a stand-in for the CNI at its exit table
     * that outputs them: what the CNI does next is not policy.
     */
    private FlowSet stage(FlowSet flows) {
        Placement placement = options.pipeline().placement();
        int first = placement.firstTable();
        int last = placement.lastTable();
        List<Flow> out = new ArrayList<>(flows.size() + 1);
        for (Flow f : flows) {
            int t = f.table().value();
            if (t >= first && t <= last) out.add(f);
        }
        int exit = placement.exit() instanceof Placement.Exit.Goto g
                ? g.table()
                : placement.exit() instanceof Placement.Exit.Resubmit r ? r.table() : -1;
        if (exit >= 0) {
            out.add(new Flow(
                    TableId.of(exit), new Priority(0), CNI_STAND_IN, Match.ANY, List.of(FlowAction.Output.NORMAL)));
        }
        return exit < 0 && out.size() == flows.size() ? flows : FlowSet.of(out);
    }

    /** The cookie of the stand-in for the CNI's tables after the stage (never one of ovs-anp's). */
    static final Cookie CNI_STAND_IN = new Cookie(0xc0ffee);

    private static Partial call(Callable<Partial> sweep) {
        try {
            return sweep.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Partial get(Future<Partial> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A value built once, by the first thread that asks for it. */
    private static final class Lazy<T> {
        private final Supplier<T> make;
        private T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        synchronized T get() {
            if (value == null) value = make.get();
            return value;
        }
    }

    /** What one sweep found: its counts and its first differing packets, in sweep order. */
    private static final class Partial {
        final int max;
        final List<Packet> examples = new ArrayList<>();
        long cells;
        long differing;
        long packets;

        Partial(int max) {
            this.max = max;
        }
    }

    /** The ports a rule names by number or range, as cuts of the port field. */
    private static void rulePorts(EffectiveRule rule, FieldPartition ports) {
        for (PortMatch m : rule.ports()) {
            if (m instanceof PortMatch.Number n) {
                ports.addPoint(BigInteger.valueOf(n.port()));
            } else if (m instanceof PortMatch.Range r && r.start() <= r.end()) {
                ports.addInterval(BigInteger.valueOf(r.start()), BigInteger.valueOf(r.end()));
            }
            // Named ports resolve to the destination pod's container ports, added by the caller;
            // AnyPort splits nothing.
        }
    }

    /** Every address of {@code family} the evaluator can name: each is a cell of its own. */
    private Set<BigInteger> namedAddresses(IpFamily family) {
        Set<BigInteger> out = new TreeSet<>();
        List<IpAddress> all = new ArrayList<>();
        for (PodInfo pod : snapshot.pods()) all.addAll(pod.ips());
        for (NodeInfo n : snapshot.nodes()) all.addAll(n.addresses());
        for (ServiceInfo svc : snapshot.services()) all.addAll(svc.clusterIps());
        for (EndpointSliceInfo slice : snapshot.endpointSlices()) all.addAll(slice.addresses());
        List<ResolverState> states = new ArrayList<>(learned.byAddress().values());
        states.add(learned.forPod(List.of()));
        for (ResolverState s : states) {
            s.addresses().values().forEach(all::addAll);
        }
        for (IpAddress ip : all) {
            if (ip.family() == family) out.add(ip.toBigInteger());
        }
        return out;
    }

    private static final BigInteger MULTICAST_FIRST =
            LINK_LOCAL_MULTICAST.first().toBigInteger();
    private static final BigInteger MULTICAST_LAST = LINK_LOCAL_MULTICAST.last().toBigInteger();

    private static boolean inMulticast(BigInteger v6) {
        return v6.compareTo(MULTICAST_FIRST) >= 0 && v6.compareTo(MULTICAST_LAST) <= 0;
    }

    /** The node a pod address belongs to, as the evaluator picks the pod. */
    private Optional<String> nodeOf(IpAddress ip) {
        List<PodInfo> pods = evaluator.matcher().podsWithIp(ip);
        return pods.isEmpty() ? Optional.empty() : Optional.of(pods.get(0).nodeName());
    }

    /** Whether {@code ip} is a ClusterIP the pre-DNAT mapping rewrites for the evaluator. */
    private boolean mappedClusterIp(IpAddress ip) {
        if (!options.serviceVips().enabled()) return false;
        for (ServiceInfo svc : snapshot.services()) {
            if (options.serviceVips().appliesTo(svc) && svc.clusterIps().contains(ip)) return true;
        }
        return false;
    }

    /** The evaluator sides a packet gets on this node, each with the rules that may decide it. */
    private record Side(Direction direction, EffectivePolicies among) {}

    /** The outcome of one class: its cells and the protocol/port probes that differ. */
    private record ClassResult(long cells, List<int[]> differing) {}

    /** What the sweep of one half puts at one position: flows and rule CIDRs starting or ending. */
    private static final class Events {
        final List<Integer> flowsIn = new ArrayList<>(1);
        final List<Integer> flowsOut = new ArrayList<>(1);
        final List<Integer> rulesIn = new ArrayList<>(1);
        final List<Integer> rulesOut = new ArrayList<>(1);
    }

    /** One verification: the counters, the node's flows and the simulator of all of them. */
    private final class Run {
        final String node;
        final FlowSet flows;
        final int max;
        final Placement placement;
        final TableId start;
        final Map<FieldMatch, FieldPartition> portCuts = new ConcurrentHashMap<>();
        final FieldPartition servicePorts = new FieldPartition(Field.TP_DST.bits());
        /** All the flows: built first, so flows the simulator refuses are refused before any cell. */
        final Simulator whole;

        Run(String node, FlowSet flows, int max) {
            this.node = node;
            this.flows = flows;
            this.max = max;
            this.placement = options.pipeline().placement();
            this.start = TableId.of(placement.firstTable());
            this.whole = new Simulator(flows);
            for (ServiceInfo svc : snapshot.services()) {
                for (ServiceInfo.ServicePort sp : svc.ports()) servicePorts.addPoint(BigInteger.valueOf(sp.port()));
            }
            for (EndpointSliceInfo slice : snapshot.endpointSlices()) {
                for (EndpointSliceInfo.EndpointPort ep : slice.ports()) {
                    servicePorts.addPoint(BigInteger.valueOf(ep.port()));
                }
            }
        }

        /** Adds the sweeps of one family: each pod address's egress half, then each one's ingress half. */
        void family(IpFamily family, List<Callable<Partial>> sweeps) {
            Field srcField = family == IpFamily.V4 ? Field.IPV4_SRC : Field.IPV6_SRC;
            Field dstField = family == IpFamily.V4 ? Field.IPV4_DST : Field.IPV6_DST;
            Set<Integer> protos = new TreeSet<>(PORT_PROTOCOLS);
            protos.add(family == IpFamily.V4 ? IpProto.ICMP.number() : IpProto.ICMPV6.number());
            for (Flow f : flows) {
                boolean ofFamily = f.match()
                        .get(Field.ETH_TYPE)
                        .map(e -> e.value().intValue() == family.ethType())
                        .orElse(false);
                if (ofFamily) {
                    f.match().get(Field.IP_PROTO).map(FieldMatch::value).ifPresent(v -> protos.add(v.intValue()));
                }
            }
            otherProtocol(protos).ifPresent(protos::add);

            Set<IpAddress> local = new LinkedHashSet<>();
            for (PodInfo pod : snapshot.pods()) {
                if (!pod.hostNetwork() && pod.nodeName().equals(node)) {
                    pod.ips().stream().filter(ip -> ip.family() == family).forEach(local::add);
                }
            }
            if (local.isEmpty()) {
                return;
            }
            Set<BigInteger> named = namedAddresses(family);
            // Each half is built by the first sweep that needs it; egress and ingress sweeps alternate,
            // so with two threads the two halves are built at once.
            Lazy<Half> egress = new Lazy<>(
                    () -> new Half(family, Direction.EGRESS, new FlowSpace(flows, family, dstField), named, protos));
            Lazy<Half> ingress = new Lazy<>(
                    () -> new Half(family, Direction.INGRESS, new FlowSpace(flows, family, srcField), named, protos));
            for (IpAddress a : local) {
                sweeps.add(() -> egress.get().sweep(a, local));
                sweeps.add(() -> ingress.get().sweep(a, local));
            }
        }

        /** One family and direction: the pod's address fixed, the other one swept. */
        final class Half {
            final IpFamily family;
            final Direction direction;
            final FlowSpace space;
            final Set<BigInteger> named;
            final Set<Integer> protos;
            final TreeMap<BigInteger, Events> events = new TreeMap<>();
            final int ruleCount;

            Half(IpFamily family, Direction direction, FlowSpace space, Set<BigInteger> named, Set<Integer> protos) {
                this.family = family;
                this.direction = direction;
                this.space = space;
                this.named = named;
                this.protos = protos;
                BigInteger end = BigInteger.ONE.shiftLeft(family.bits());
                events.put(BigInteger.ZERO, new Events());
                for (int i = 0; i < space.onFieldCount(); i++) {
                    BigInteger[] iv = space.interval(i);
                    at(iv[0]).flowsIn.add(i);
                    BigInteger after = iv[1].add(BigInteger.ONE);
                    if (after.compareTo(end) < 0) at(after).flowsOut.add(i);
                }
                int maxRule = -1;
                for (RuleSpace.Interval iv : rules.cidrIntervals(direction, family)) {
                    at(iv.lo()).rulesIn.add(iv.rule());
                    BigInteger after = iv.hi().add(BigInteger.ONE);
                    if (after.compareTo(end) < 0) at(after).rulesOut.add(iv.rule());
                    maxRule = Math.max(maxRule, iv.rule());
                }
                this.ruleCount = maxRule + 1;
                for (BigInteger a : named) {
                    at(a);
                    BigInteger after = a.add(BigInteger.ONE);
                    if (after.compareTo(end) < 0) at(after);
                }
                if (family == IpFamily.V6) {
                    at(LINK_LOCAL_MULTICAST.first().toBigInteger());
                    at(LINK_LOCAL_MULTICAST.last().toBigInteger().add(BigInteger.ONE));
                }
            }

            private Events at(BigInteger position) {
                return events.computeIfAbsent(position, p -> new Events());
            }

            /** Every cell of the free address, with {@code fixed} (a pod of the node) on the other side. */
            Partial sweep(IpAddress fixed, Set<IpAddress> local) {
                Partial out = new Partial(max);
                TreeSet<Integer> holding = new TreeSet<>();
                int[] inCidrs = new int[ruleCount];
                BitSet cidrRules = new BitSet();
                Map<List<Object>, ClassResult> classes = new HashMap<>();
                BigInteger end = BigInteger.ONE.shiftLeft(family.bits());
                Map.Entry<BigInteger, Events> e = events.firstEntry();
                while (e != null) {
                    Events ev = e.getValue();
                    holding.removeAll(ev.flowsOut);
                    holding.addAll(ev.flowsIn);
                    for (int r : ev.rulesOut) {
                        if (--inCidrs[r] == 0) cidrRules.clear(r);
                    }
                    for (int r : ev.rulesIn) {
                        if (inCidrs[r]++ == 0) cidrRules.set(r);
                    }
                    Map.Entry<BigInteger, Events> next = events.higherEntry(e.getKey());
                    BigInteger lo = e.getKey();
                    BigInteger hi = next == null
                            ? end.subtract(BigInteger.ONE)
                            : next.getKey().subtract(BigInteger.ONE);
                    cell(out, fixed, local, lo, hi, holding, cidrRules, classes);
                    e = next;
                }
                return out;
            }

            private void cell(
                    Partial out,
                    IpAddress fixed,
                    Set<IpAddress> local,
                    BigInteger lo,
                    BigInteger hi,
                    Set<Integer> holding,
                    BitSet cidrRules,
                    Map<List<Object>, ClassResult> classes) {
                boolean egressHalf = direction == Direction.EGRESS;
                boolean namedCell = lo.equals(hi) && named.contains(lo);
                if (!egressHalf && namedCell && local.contains(IpAddress.fromBigInteger(family, lo))) {
                    return; // from a pod of the node: its egress half has it
                }
                FlowSpace.InPlay inPlay = space.inPlay(holding);
                ClassResult result;
                if (namedCell) {
                    IpAddress a = IpAddress.fromBigInteger(family, lo);
                    IpAddress src = egressHalf ? fixed : a;
                    IpAddress dst = egressHalf ? a : fixed;
                    result = check(out, src, dst, inPlay, namedSides(src, dst));
                } else {
                    // the destination is the swept address in the egress half, else the pod's (never multicast)
                    boolean multicast = egressHalf && family == IpFamily.V6 && inMulticast(lo);
                    List<Object> key = List.of(cidrRules, multicast, inPlay.signature());
                    result = classes.get(key);
                    if (result == null) {
                        IpAddress a = IpAddress.fromBigInteger(family, lo);
                        BitSet relevant = rules.anonymous(direction, cidrRules);
                        List<Side> sides =
                                multicast ? List.of() : List.of(new Side(direction, rules.among(direction, relevant)));
                        result = check(out, egressHalf ? fixed : a, egressHalf ? a : fixed, inPlay, sides);
                        classes.put(List.of(cidrRules.clone(), multicast, inPlay.signature()), result);
                    }
                }
                out.cells += result.cells();
                out.differing += result.differing().size();
                if (!result.differing().isEmpty() && out.examples.size() < out.max) {
                    IpAddress a = IpAddress.fromBigInteger(family, lo);
                    for (int[] probe : result.differing()) {
                        if (out.examples.size() >= out.max) break;
                        out.examples.add(new Packet(
                                egressHalf ? fixed : a, egressHalf ? a : fixed, new IpProto(probe[0]), probe[1]));
                    }
                }
            }

            /** The sides a packet between two named addresses gets here, with the rules that name its peer. */
            private List<Side> namedSides(IpAddress src, IpAddress dst) {
                List<Side> sides = new ArrayList<>(2);
                if (LINK_LOCAL_MULTICAST.contains(dst)) return sides;
                if (nodeOf(src).map(node::equals).orElse(false)) {
                    // Through a ClusterIP, any egress rule may match by the Service's endpoints.
                    BitSet relevant = mappedClusterIp(dst)
                            ? rules.all(Direction.EGRESS)
                            : rules.matching(Direction.EGRESS, evaluator.matcher(), dst, src);
                    sides.add(new Side(Direction.EGRESS, rules.among(Direction.EGRESS, relevant)));
                }
                if (nodeOf(dst).map(node::equals).orElse(false)) {
                    BitSet relevant = rules.matching(Direction.INGRESS, evaluator.matcher(), src, dst);
                    sides.add(new Side(Direction.INGRESS, rules.among(Direction.INGRESS, relevant)));
                }
                return sides;
            }

            /** One packet per protocol × port cell of this class against its flows in play and its rules. */
            private ClassResult check(
                    Partial out, IpAddress src, IpAddress dst, FlowSpace.InPlay inPlay, List<Side> sides) {
                List<Flow> inPlayFlows = inPlay.flows();
                Simulator sim = new Simulator(FlowSet.of(inPlayFlows));
                FieldPartition ports = new FieldPartition(Field.TP_DST.bits());
                for (Flow f : inPlayFlows) {
                    f.match().get(Field.TP_DST).ifPresent(m -> ports.addAll(cuts(m)));
                }
                for (Side side : sides) {
                    Direction d = side.direction();
                    side.among().admin().forEach(p -> p.rules(d).forEach(r -> rulePorts(r, ports)));
                    side.among().networkPolicies().forEach(p -> p.rules(d).forEach(r -> rulePorts(r, ports)));
                    side.among().baseline().forEach(p -> p.rules(d).forEach(r -> rulePorts(r, ports)));
                }
                for (PodInfo pod : evaluator.matcher().podsWithIp(dst)) {
                    for (ContainerPort cp : pod.ports()) ports.addPoint(BigInteger.valueOf(cp.port()));
                }
                if (named.contains(dst.toBigInteger())) {
                    ports.addAll(servicePorts);
                }
                List<BigInteger> portCells = ports.representatives();
                long n = 0;
                List<int[]> diff = new ArrayList<>();
                for (int proto : protos) {
                    if (PORT_PROTOCOLS.contains(proto)) {
                        for (BigInteger port : portCells) {
                            n++;
                            if (!agrees(
                                    out, sim, new Packet(src, dst, new IpProto(proto), port.intValueExact()), sides)) {
                                diff.add(new int[] {proto, port.intValueExact()});
                            }
                        }
                    } else {
                        n++;
                        if (!agrees(out, sim, new Packet(src, dst, new IpProto(proto), 0), sides)) {
                            diff.add(new int[] {proto, 0});
                        }
                    }
                }
                return new ClassResult(n, diff);
            }

            private boolean agrees(Partial out, Simulator sim, Packet p, List<Side> sides) {
                out.packets++;
                boolean expected = true;
                for (Side side : sides) {
                    expected &= evaluator
                            .evaluate(p, side.direction(), side.among())
                            .allowed();
                }
                try {
                    return sim.run(toSim(p), start).allowed() == expected;
                } catch (AmbiguousLookupException | IllegalStateException e) {
                    return false; // OVS's choice is unspecified, or the flows loop
                }
            }
        }

        private FieldPartition cuts(FieldMatch m) {
            return portCuts.computeIfAbsent(m, x -> {
                FieldPartition p = new FieldPartition(Field.TP_DST.bits());
                p.addMatch(x);
                return p;
            });
        }

        /**
         * The counterexample for one differing packet, from all the flows and all the rules: what a
         * user would see with {@code ovs-anp trace} and {@code explain}.
         */
        Counterexample confirm(Packet p) {
            boolean egressHere = nodeOf(p.src()).map(node::equals).orElse(false);
            boolean ingressHere = nodeOf(p.dst()).map(node::equals).orElse(false);
            if (LINK_LOCAL_MULTICAST.contains(p.dst())) {
                egressHere = false;
                ingressHere = false;
            }
            boolean expected = true;
            List<String> why = new ArrayList<>(2);
            if (egressHere) {
                Verdict v = evaluator.evaluate(p, Direction.EGRESS);
                expected = v.allowed();
                why.add("egress: " + v.describe());
            }
            if (ingressHere) {
                Verdict v = evaluator.evaluate(p, Direction.INGRESS);
                expected &= v.allowed();
                why.add("ingress: " + v.describe());
            }
            if (why.isEmpty()) {
                why.add(
                        LINK_LOCAL_MULTICAST.contains(p.dst())
                                ? "ALLOW: IPv6 link-local multicast passes before any policy"
                                : "ALLOW: neither address is a pod of node " + node);
            }
            boolean got;
            String path;
            try {
                SimResult r = whole.run(toSim(p), start);
                got = r.allowed();
                path = r.traceText();
            } catch (AmbiguousLookupException | IllegalStateException e) {
                return new Counterexample(p, false, "undefined: " + e.getMessage(), expected, String.join("\n", why));
            }
            if (got == expected) {
                throw new IllegalStateException("verify's cells disagree with the whole flow table on " + p
                        + ": a bug in ovs-anp verify, please report it");
            }
            return new Counterexample(p, got, path, expected, String.join("\n", why));
        }

        SimPacket toSim(Packet p) {
            return simPacket(p, placement, evaluator.matcher(), node);
        }
    }

    /**
     * {@code p} as the simulator's first packet of a new connection on {@code node}: {@code +trk+new}
     * from the CNI's conntrack in CNI placement, and with register identity the register holding the
     * source pod's IPv4 address when the source is a pod of the node.
     */
    static SimPacket simPacket(Packet p, Placement placement, RuleMatcher matcher, String node) {
        int proto = p.proto().number();
        SimPacket sp = new SimPacket(
                p.src().family().ethType(),
                p.src(),
                p.dst(),
                proto,
                p.proto().hasPorts() ? p.dstPort() : -1,
                SimPacket.DEFAULT_IN_PORT,
                0,
                0,
                0,
                SimPacket.DEFAULT_POST_CT_STATE,
                Collections.nCopies(8, 0L),
                0);
        if (placement.identityRegister().isPresent()) {
            List<PodInfo> pods = matcher.podsWithIp(p.src());
            Optional<IpAddress> id = pods.isEmpty() || !pods.get(0).nodeName().equals(node)
                    ? Optional.empty()
                    : pods.get(0).ips().stream()
                            .filter(ip -> ip.family() == IpFamily.V4)
                            .findFirst();
            if (id.isPresent()) {
                sp = sp.withReg(
                        placement.identityRegister().get(),
                        id.get().toBigInteger().longValueExact());
            }
        }
        if (placement.conntrack() == Placement.Conntrack.CNI) {
            sp = sp.withConntrack(CtStates.TRK | CtStates.NEW, placement.zone(), 0);
        }
        return sp;
    }

    /** A protocol no flow names and no policy treats apart: the representative of all the others. */
    static Optional<Integer> otherProtocol(Set<Integer> named) {
        // GRE first: any unnamed number would do; 0 (IPv6 hop-by-hop) is an extension header, not a protocol.
        for (int candidate = 47; candidate < 47 + 256; candidate++) {
            int p = candidate % 256;
            if (p != 0 && !named.contains(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
