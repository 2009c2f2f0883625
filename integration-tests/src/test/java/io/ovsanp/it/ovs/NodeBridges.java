package io.ovsanp.it.ovs;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.TraceVerdict;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One bridge per node on one private ovs-vswitchd, each holding that node's compiled pipeline, so
 * that a connection can be traced on every pipeline it crosses: the source pod's node (egress) and
 * the destination pod's node (ingress), one pipeline when they share a node. {@link #use} sets the
 * cluster and policies; a node's pipeline is compiled and loaded ({@link NodePipeline#load}) the first
 * time a trace needs it, and again after the next {@link #use}.
 */
public final class NodeBridges {
    private final PrivateOvs ovs;
    private final Map<String, Bridge> bridges = new LinkedHashMap<>();
    private final Set<String> loaded = new HashSet<>();
    private ClusterSnapshot snapshot;
    private EffectivePolicies policies;
    private CompileOptions options;

    public NodeBridges(PrivateOvs ovs) {
        this.ovs = Objects.requireNonNull(ovs, "ovs");
    }

    /** From now on, traces run on the pipelines of this cluster and these policies. */
    public void use(ClusterSnapshot snapshot, EffectivePolicies policies, CompileOptions options) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.options = Objects.requireNonNull(options, "options");
        loaded.clear();
    }

    /** The bridge holding {@code node}'s pipeline for the current cluster, loaded if it is not yet. */
    public Bridge bridge(String node) {
        if (snapshot == null) throw new IllegalStateException("use() a cluster first");
        // Bridge names become netdev names (at most 15 characters): number them.
        Bridge b = bridges.computeIfAbsent(node, n -> ovs.addBridge("br-node" + bridges.size()));
        if (loaded.add(node)) NodePipeline.load(b, snapshot, policies, node, options);
        return b;
    }

    /**
     * The nodes whose pipelines {@code p}'s connection crosses: the node of the (non-host-network) pod
     * owning the source address, then that of the pod owning the destination address; {@code
     * fallback} when neither address is a pod's (the packet must then pass some node's pipeline).
     */
    public static Set<String> nodesCrossed(Evaluator evaluator, Packet p, String fallback) {
        Set<String> nodes = new LinkedHashSet<>();
        nodeOf(evaluator, p.src()).ifPresent(nodes::add);
        nodeOf(evaluator, p.dst()).ifPresent(nodes::add);
        if (nodes.isEmpty()) nodes.add(fallback);
        return nodes;
    }

    /** The node of the pod owning {@code ip} (the evaluator's pick), if a pod does. */
    public static Optional<String> nodeOf(Evaluator evaluator, IpAddress ip) {
        return evaluator.matcher().podsWithIp(ip).stream().findFirst().map(PodInfo::nodeName);
    }

    /** Traces {@code p} ({@code ofproto/trace}) on every pipeline its connection crosses. */
    public Crossing trace(Evaluator evaluator, Packet p, String fallback) {
        Map<String, TraceVerdict> verdicts = new LinkedHashMap<>();
        Map<String, Bridge> used = new LinkedHashMap<>();
        for (String node : nodesCrossed(evaluator, p, fallback)) {
            Bridge b = bridge(node);
            used.put(node, b);
            verdicts.put(node, NodePipeline.trace(b, p));
        }
        return new Crossing(p, verdicts, used);
    }

    /** What each pipeline a connection crosses did with its first packet. */
    public record Crossing(Packet packet, Map<String, TraceVerdict> verdicts, Map<String, Bridge> bridges) {
        /** Allowed when every pipeline it crosses outputs it. */
        public boolean allowed() {
            return verdicts.values().stream().noneMatch(TraceVerdict::dropped);
        }

        public boolean crossesNodes() {
            return verdicts.size() > 1;
        }

        public List<String> nodes() {
            return List.copyOf(verdicts.keySet());
        }

        /** Per node: its verdict, its trace and its flows (for assertion messages; dumps the flows). */
        public String describe() {
            StringBuilder out = new StringBuilder();
            verdicts.forEach((node, v) -> out.append("node ")
                    .append(node)
                    .append(v.dropped() ? ": dropped" : ": output")
                    .append('\n')
                    .append(v.trace())
                    .append('\n')
                    .append(bridges.get(node).describe())
                    .append('\n'));
            return out.toString();
        }
    }
}
