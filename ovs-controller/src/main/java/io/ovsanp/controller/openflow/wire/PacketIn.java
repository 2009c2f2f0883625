package io.ovsanp.controller.openflow.wire;

import java.util.Objects;
import java.util.Optional;

/**
 * A packet sent to the controller, in either of the two formats OVS sends on an OpenFlow 1.3
 * connection (docs/ovs-notes.md §2.7):
 *
 * <ul>
 *   <li>OFPT_PACKET_IN (10), OpenFlow 1.3 §7.4.1: {@code buffer_id u32, total_len u16, reason u8,
 *       table_id u8, cookie u64}, an {@code ofp_match} with the packet's metadata, 2 pad bytes, then
 *       the frame. The default format.
 *   <li>NXT_PACKET_IN2 (Nicira subtype 30), once the connection asked for it with {@link
 *       SetPacketInFormat}: the same facts as properties, and, for a packet stopped by {@code
 *       controller(pause)}, the {@link #continuation()} that {@link Resume} hands back.
 * </ul>
 *
 * <p>{@code rawMatch} is the metadata (in_port, registers, conntrack fields) as OXM TLVs without the
 * {@code ofp_match} header in both formats. {@code data} is the frame; OVS 3.1 sends it whole
 * (§2.7), and {@code totalLen} is its length before any truncation. An NXT_PACKET_IN2 without a
 * cookie property has {@code cookie} {@link #NO_COOKIE}; a paused packet's table id and cookie do not
 * name the pausing flow (§2.7).
 */
public record PacketIn(
        long xid,
        long bufferId,
        int totalLen,
        int reason,
        int tableId,
        long cookie,
        Bytes rawMatch,
        Bytes data,
        Format format,
        Optional<Bytes> continuation)
        implements OfMessage {
    /** OFPR_ACTION: a controller action sent it (the others are table miss and invalid TTL). */
    public static final int REASON_ACTION = 1;

    /** OVS's "no cookie" (all ones), what an NXT_PACKET_IN2 without NXPINT_COOKIE means. */
    public static final long NO_COOKIE = -1L;

    /** How the switch framed the packet-in; the connection's packet-in format decides. */
    public enum Format {
        OPENFLOW13,
        NXT_PACKET_IN2
    }

    public PacketIn {
        Wire.checkXid(xid);
        Wire.checkU32(bufferId, "buffer_id");
        if (reason < 0 || reason > 0xff || tableId < 0 || tableId > 0xff) {
            throw new IllegalArgumentException("reason/table_id out of 8-bit range");
        }
        Objects.requireNonNull(rawMatch, "rawMatch");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(continuation, "continuation");
        if (format == Format.OPENFLOW13) {
            Wire.checkU16(totalLen, "total_len");
            if (continuation.isPresent()) {
                throw new IllegalArgumentException("only an NXT_PACKET_IN2 carries a continuation");
            }
        } else if (data.length() == 0 || totalLen < data.length()) {
            // ofputil_decode_packet_in refuses both (OFPBRC_BAD_LEN).
            throw new IllegalArgumentException(
                    "NXT_PACKET_IN2 needs a packet and full_len >= its length: " + totalLen + " < " + data.length());
        }
    }

    /** An OFPT_PACKET_IN. */
    public PacketIn(
            long xid, long bufferId, int totalLen, int reason, int tableId, long cookie, Bytes rawMatch, Bytes data) {
        this(xid, bufferId, totalLen, reason, tableId, cookie, rawMatch, data, Format.OPENFLOW13, Optional.empty());
    }

    /** An unbuffered NXT_PACKET_IN2 with the whole frame, as OVS 3.1 sends them. */
    public static PacketIn packetIn2(
            long xid, int reason, int tableId, long cookie, Bytes rawMatch, Bytes data, Optional<Bytes> continuation) {
        return new PacketIn(
                xid,
                Wire.NO_BUFFER,
                data.length(),
                reason,
                tableId,
                cookie,
                rawMatch,
                data,
                Format.NXT_PACKET_IN2,
                continuation);
    }

    /** True for a packet stopped by {@code controller(pause)}: the switch waits for a {@link Resume}. */
    public boolean isPaused() {
        return continuation.isPresent();
    }
}
