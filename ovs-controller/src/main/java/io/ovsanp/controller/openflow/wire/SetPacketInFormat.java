package io.ovsanp.controller.openflow.wire;

/**
 * NXT_SET_PACKET_IN_FORMAT: EXPERIMENTER, Nicira 0x00002320, subtype 16, then {@code format u32}
 * (nicira-ext.h {@code enum nx_packet_in_format}). It applies to the connection that sends it; OVS
 * answers only with an error. With {@link #NXT_PACKET_IN2} every later packet-in on the connection
 * arrives as an NXT_PACKET_IN2, and only then does a {@code controller(pause)} carry a continuation
 * (docs/ovs-notes.md §2.7).
 */
public record SetPacketInFormat(long xid, int format) implements OfMessage {
    /** NXPIF_STANDARD: OFPT_PACKET_IN of the connection's OpenFlow version, the default. */
    public static final int STANDARD = 0;

    /** NXPIF_NXT_PACKET_IN: the old Nicira NXT_PACKET_IN (not modelled by {@link PacketIn}). */
    public static final int NXT_PACKET_IN = 1;

    /** NXPIF_NXT_PACKET_IN2: property-based packet-ins, with continuations. */
    public static final int NXT_PACKET_IN2 = 2;

    public SetPacketInFormat {
        Wire.checkXid(xid);
        if (format < STANDARD || format > NXT_PACKET_IN2) {
            throw new IllegalArgumentException("unknown packet-in format " + format);
        }
    }
}
