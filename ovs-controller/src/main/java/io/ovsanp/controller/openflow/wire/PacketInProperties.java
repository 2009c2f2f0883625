package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The property list of NXT_PACKET_IN2 and NXT_RESUME (enum nx_packet_in2_prop_type in nicira-ext.h;
 * docs/ovs-notes.md §2.7). Each property is {@code type u16, length u16} (header included, padding
 * not), its payload, then zeros to a multiple of 8. A 64-bit payload (the cookie) follows 4 zero
 * bytes, and so does the nested property list of the continuation. Written in the order OVS writes
 * them, so a message OVS sent re-encodes to its own bytes.
 */
final class PacketInProperties {
    static final int PACKET = 0;
    static final int FULL_LEN = 1;
    static final int BUFFER_ID = 2;
    static final int TABLE_ID = 3;
    static final int COOKIE = 4;
    static final int REASON = 5;
    static final int METADATA = 6;
    static final int USERDATA = 7;
    static final int CONTINUATION = 8;

    /**
     * What one message carried; absent properties take OVS's defaults ({@code
     * ofputil_decode_packet_in}): full_len the packet's length, no buffer, table 0, no cookie, reason
     * 0, no metadata.
     */
    record Read(
            Bytes packet,
            Optional<Long> fullLen,
            Optional<Long> bufferId,
            int tableId,
            long cookie,
            int reason,
            Bytes metadata,
            Optional<Bytes> continuation) {}

    private PacketInProperties() {}

    /**
     * Reads properties until {@code in} is exhausted. Empty when the message holds one this codec
     * does not model (userdata, an unknown type, a repeated one): echoing the rest would not be what
     * the switch sent. Bad framing throws {@link OfProtocolException}.
     */
    static Optional<Read> read(ByteBuf in) {
        Bytes packet = null;
        Optional<Long> fullLen = Optional.empty();
        Optional<Long> bufferId = Optional.empty();
        int tableId = 0;
        long cookie = PacketIn.NO_COOKIE;
        int reason = 0;
        Bytes metadata = Bytes.EMPTY;
        Optional<Bytes> continuation = Optional.empty();
        Set<Integer> seen = new HashSet<>();
        while (in.isReadable()) {
            int type = Wire.u16(in, "property type");
            int length = Wire.u16(in, "property length");
            if (length < 4) {
                throw new OfProtocolException("property " + type + ": bad length " + length);
            }
            ByteBuf value = Wire.slice(in, length - 4, "property " + type);
            Wire.skip(in, Wire.padding(length), "property " + type + " padding");
            if (!seen.add(type)) {
                return Optional.empty();
            }
            switch (type) {
                case PACKET:
                    packet = Bytes.of(ByteBufUtil.getBytes(value));
                    break;
                case FULL_LEN:
                    fixed(type, length, 8);
                    fullLen = Optional.of(value.readUnsignedInt());
                    break;
                case BUFFER_ID:
                    fixed(type, length, 8);
                    bufferId = Optional.of(value.readUnsignedInt());
                    break;
                case TABLE_ID:
                    fixed(type, length, 5);
                    tableId = value.readUnsignedByte();
                    break;
                case COOKIE:
                    fixed(type, length, 16);
                    cookie = value.skipBytes(4).readLong();
                    break;
                case REASON:
                    fixed(type, length, 5);
                    reason = value.readUnsignedByte();
                    break;
                case METADATA:
                    metadata = Bytes.of(ByteBufUtil.getBytes(value));
                    break;
                case CONTINUATION:
                    Wire.skip(value, 4, "continuation padding");
                    continuation = Optional.of(Bytes.of(ByteBufUtil.getBytes(value)));
                    break;
                default:
                    return Optional.empty();
            }
        }
        if (packet == null) {
            throw new OfProtocolException("NXT_PACKET_IN2 or NXT_RESUME without a packet");
        }
        return Optional.of(new Read(packet, fullLen, bufferId, tableId, cookie, reason, metadata, continuation));
    }

    private static void fixed(int type, int length, int expected) {
        if (length != expected) {
            throw new OfProtocolException("property " + type + ": length " + length + ", expected " + expected);
        }
    }

    /**
     * Writes the properties in OVS's order; {@code fullLen} and {@code bufferId} only when present,
     * the cookie only when it is not {@link PacketIn#NO_COOKIE}.
     */
    static void write(Read r, ByteBuf out) {
        bytes(out, PACKET, r.packet());
        r.fullLen().ifPresent(v -> out.writeShort(FULL_LEN).writeShort(8).writeInt(v.intValue()));
        r.bufferId().ifPresent(v -> out.writeShort(BUFFER_ID).writeShort(8).writeInt(v.intValue()));
        out.writeShort(TABLE_ID).writeShort(5).writeByte(r.tableId()).writeZero(3);
        if (r.cookie() != PacketIn.NO_COOKIE) {
            out.writeShort(COOKIE).writeShort(16).writeZero(4).writeLong(r.cookie());
        }
        out.writeShort(REASON).writeShort(5).writeByte(r.reason()).writeZero(3);
        bytes(out, METADATA, r.metadata());
        r.continuation().ifPresent(c -> {
            out.writeShort(CONTINUATION).writeShort(8 + c.length()).writeZero(4);
            out.writeBytes(c.toArray()).writeZero(Wire.padding(c.length()));
        });
    }

    private static void bytes(ByteBuf out, int type, Bytes payload) {
        int length = 4 + payload.length();
        if (length > 0xffff) {
            throw new IllegalArgumentException("property " + type + " of " + length + " bytes");
        }
        out.writeShort(type).writeShort(length).writeBytes(payload.toArray());
        out.writeZero(Wire.padding(length));
    }
}
