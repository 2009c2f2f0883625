package io.ovsanp.it.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.TraceVerdict;

/**
 * One node's compiled pipeline on a real bridge: {@link #load} compiles the node and replaces the
 * bridge's flows with them; {@link #trace} asks OVS, with {@code ofproto/trace}, what becomes of a
 * packet. Shared by the ITs that compare OVS with the evaluator or with upstream expectations.
 */
public final class NodePipeline {
    private NodePipeline() {}

    /** Compiles {@code node} from scratch ({@link Allocation#EMPTY}) and makes its flows the bridge's only flows. */
    public static CompileResult load(
            Bridge bridge, ClusterSnapshot snapshot, EffectivePolicies policies, String node, CompileOptions options) {
        CompileResult r = Compiler.compile(snapshot, policies, node, Allocation.EMPTY, options);
        bridge.delFlows();
        bridge.addFlows(OfctlRenderer.renderAll(r.flows(), options.pipeline()));
        assertThat(bridge.dumpFlows())
                .as("flows of node %s on the bridge", node)
                .hasSize(r.flows().size());
        return r;
    }

    /** The final datapath actions OVS gives the first packet of {@code p}'s connection. */
    public static TraceVerdict trace(Bridge bridge, Packet p) {
        return bridge.traceFinalVerdict(TraceSpecs.of(p));
    }
}
