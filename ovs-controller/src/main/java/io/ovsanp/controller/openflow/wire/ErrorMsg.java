package io.ovsanp.controller.openflow.wire;

import java.util.Optional;

/**
 * OFPT_ERROR (OpenFlow 1.3 §7.4.4). {@code data} holds (OVS sends all of it) the message that
 * failed, so {@link #failedRequest()} can name the flow; in a bundle the xid is the failing ADD's.
 */
public record ErrorMsg(long xid, OfError error, Bytes data) implements OfMessage {
    public ErrorMsg {
        Wire.checkXid(xid);
    }

    /** The offending request decoded from {@link #data()}, empty when it is cut short or not OpenFlow. */
    public Optional<OfMessage> failedRequest() {
        return OfCodec.tryDecode(data);
    }

    /** {@code OFPBAC_BAD_TYPE (xid=0x12): FLOW_MOD ...}: for logs. */
    public String describe() {
        return error.name()
                + " (xid=0x" + Long.toHexString(xid) + ")"
                + failedRequest().map(m -> ": " + m).orElse(data.length() == 0 ? "" : ": " + data);
    }
}
