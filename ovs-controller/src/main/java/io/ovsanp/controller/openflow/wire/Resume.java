package io.ovsanp.controller.openflow.wire;

import java.util.Objects;

/**
 * NXT_RESUME: EXPERIMENTER, Nicira 0x00002320, subtype 28, then the properties of the paused packet's
 * NXT_PACKET_IN2 (packet, table id, cookie, reason, metadata, continuation; no userdata), in the
 * order OVS writes them. The switch continues the packet where {@code controller(pause)} stopped it:
 * the rest of that flow's actions, kept in the continuation, then the tables as they are now, with
 * the registers and conntrack state of the metadata, on the bridge the continuation names, whichever
 * of the switch's connections it came on. It answers only with an error, e.g. NXR_STALE when that
 * bridge no longer exists (docs/ovs-notes.md §2.7). {@code cookie} {@link PacketIn#NO_COOKIE} writes
 * no cookie property.
 */
public record Resume(long xid, Bytes packet, int tableId, long cookie, int reason, Bytes metadata, Bytes continuation)
        implements OfMessage {
    public Resume {
        Wire.checkXid(xid);
        if (reason < 0 || reason > 0xff || tableId < 0 || tableId > 0xff) {
            throw new IllegalArgumentException("reason/table_id out of 8-bit range");
        }
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(continuation, "continuation");
        if (packet.length() == 0) {
            throw new IllegalArgumentException("NXT_RESUME needs the packet");
        }
    }

    /**
     * Resumes {@code paused} by echoing what the switch sent. A truncated packet cannot be resumed
     * (the switch keeps no copy: it would go on truncated), nor a packet-in without a continuation.
     */
    public static Resume of(long xid, PacketIn paused) {
        Bytes continuation = paused.continuation()
                .orElseThrow(() -> new IllegalArgumentException("not a paused packet (no continuation): " + paused));
        if (paused.data().length() != paused.totalLen()) {
            throw new IllegalArgumentException("cannot resume a truncated packet: "
                    + paused.data().length() + " of " + paused.totalLen() + " bytes");
        }
        return new Resume(
                xid,
                paused.data(),
                paused.tableId(),
                paused.cookie(),
                paused.reason(),
                paused.rawMatch(),
                continuation);
    }
}
