package io.ovsanp.controller.openflow.wire;

import java.util.Objects;

/**
 * OFPT_PACKET_IN (10), OpenFlow 1.3 §7.4.1: {@code buffer_id u32, total_len u16, reason u8, table_id
 * u8, cookie u64}, an {@code ofp_match} (OVS fills it with the packet's metadata: in_port,
 * registers, conntrack fields), 2 pad bytes, then the first bytes of the frame. The match is kept
 * raw: the audit log needs only the cookie (which rule), the table (which direction) and the frame.
 * {@code data} is at most the controller action's {@code max_len}; {@code totalLen} is the whole
 * frame's length.
 */
public record PacketIn(
        long xid, long bufferId, int totalLen, int reason, int tableId, long cookie, Bytes rawMatch, Bytes data)
        implements OfMessage {
    /** OFPR_ACTION: a controller action sent it (the others are table miss and invalid TTL). */
    public static final int REASON_ACTION = 1;

    public PacketIn {
        Wire.checkXid(xid);
        Wire.checkU32(bufferId, "buffer_id");
        Wire.checkU16(totalLen, "total_len");
        if (reason < 0 || reason > 0xff || tableId < 0 || tableId > 0xff) {
            throw new IllegalArgumentException("reason/table_id out of 8-bit range");
        }
        Objects.requireNonNull(rawMatch, "rawMatch");
        Objects.requireNonNull(data, "data");
    }
}
