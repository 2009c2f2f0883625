package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.Priority;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a flow-stats reply ({@code ofp_flow_stats}, OpenFlow 1.3 §7.3.5.2). {@link #flow()}
 * is present only when the entry is exactly what {@link FlowMod#add} of that flow installs: every
 * OXM, instruction and action understood, no timeouts, no flags. Otherwise it is empty and {@link
 * #opaqueReason()} says why, so a reconciler comparing {@code flow()} with the desired flow sees a
 * difference and rewrites (or, via {@link #rawMatch()}, deletes) the entry.
 *
 * @param tableId the table as sent, 0..255
 * @param rawMatch the OXM TLVs exactly as the switch sent them, without the ofp_match header
 * @param forwarding what the entry does to packets when its match and actions were understood, even
 *     if timeouts or flags make it not ovs-anp's (a flow {@code ovs-ofctl add-flow} installed has
 *     {@code reset_counts}): what {@code ovs-anp verify} reads
 */
public record DumpedFlow(
        int tableId,
        Priority priority,
        Cookie cookie,
        int idleTimeout,
        int hardTimeout,
        int flags,
        long durationSec,
        long durationNsec,
        long packetCount,
        long byteCount,
        Bytes rawMatch,
        Optional<Flow> flow,
        String opaqueReason,
        Optional<Flow> forwarding) {

    public DumpedFlow {
        Objects.requireNonNull(forwarding);
        if (flow.isPresent() && !flow.equals(forwarding)) {
            throw new IllegalArgumentException("a readable flow forwards as itself: " + flow + " / " + forwarding);
        }
        Objects.requireNonNull(priority);
        Objects.requireNonNull(cookie);
        Objects.requireNonNull(rawMatch);
        Objects.requireNonNull(flow);
        Objects.requireNonNull(opaqueReason);
        if (flow.isPresent() != opaqueReason.isEmpty()) {
            throw new IllegalArgumentException("exactly one of flow and opaqueReason: " + flow + " / " + opaqueReason);
        }
    }

    /** The entry a switch holding {@code flow} (installed by {@link FlowMod#add}) would report, zero counters. */
    public static DumpedFlow of(Flow flow) {
        ByteBuf oxms = Unpooled.buffer();
        try {
            OxmCodec.write(flow.match(), oxms);
            return new DumpedFlow(
                    flow.table().value(),
                    flow.priority(),
                    flow.cookie(),
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    Bytes.of(ByteBufUtil.getBytes(oxms)),
                    Optional.of(flow),
                    "",
                    Optional.of(flow));
        } finally {
            oxms.release();
        }
    }

    public boolean isOpaque() {
        return flow.isEmpty();
    }

    /** Equal to what the controller wants installed: same match, actions, cookie, no extras. */
    public boolean sameAs(Flow desired) {
        return flow.isPresent() && flow.get().equals(desired);
    }
}
