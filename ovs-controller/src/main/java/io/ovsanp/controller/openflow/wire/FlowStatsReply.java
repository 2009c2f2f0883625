package io.ovsanp.controller.openflow.wire;

import java.util.List;

/**
 * One OFPMP_FLOW multipart reply message. OVS splits a large dump into several messages with the
 * same xid, all but the last with {@code more} (OFPMPF_REPLY_MORE) set; collecting them is the
 * caller's job.
 */
public record FlowStatsReply(long xid, boolean more, List<DumpedFlow> flows) implements OfMessage {
    public FlowStatsReply {
        Wire.checkXid(xid);
        flows = List.copyOf(flows);
    }
}
