package io.ovsanp.it.ovs;

import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.ofctl.TraceFlows;

/** An evaluator packet as an {@code ofproto/trace} flow spec (ct state defaults to new|trk). */
public final class TraceSpecs {
    private TraceSpecs() {}

    public static String of(Packet p) {
        return TraceFlows.of(p);
    }
}
