package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;

/**
 * OpenFlow 1.3 constants (OpenFlow 1.3.5 §7) and bounds-checked reads: every read checks first, so
 * short input becomes an {@link OfProtocolException} rather than an IndexOutOfBoundsException.
 */
final class Wire {
    static final int VERSION = 0x04;
    static final int HEADER_LENGTH = 8;
    static final int MAX_LENGTH = 0xffff;

    static final int HELLO = 0;
    static final int ERROR = 1;
    static final int ECHO_REQUEST = 2;
    static final int ECHO_REPLY = 3;
    static final int EXPERIMENTER = 4;
    static final int FEATURES_REQUEST = 5;
    static final int FEATURES_REPLY = 6;
    static final int SET_CONFIG = 9;
    static final int PACKET_IN = 10;
    static final int FLOW_MOD = 14;
    static final int MULTIPART_REQUEST = 18;
    static final int MULTIPART_REPLY = 19;
    static final int BARRIER_REQUEST = 20;
    static final int BARRIER_REPLY = 21;
    static final int ROLE_REQUEST = 24;
    static final int ROLE_REPLY = 25;
    static final int METER_MOD = 29;

    static final int MULTIPART_FLOW = 1;
    static final int MULTIPART_REPLY_MORE = 1;

    /** Nicira's experimenter id, NX_VENDOR_ID in nicira-ext.h. */
    static final long NICIRA = 0x0000_2320L;
    /** ONF's experimenter id, ONF_EXPERIMENTER_ID in openflow-common.h. */
    static final long ONF = 0x4F4E_4600L;

    /** Nicira message subtypes (enum nx_type in nicira-ext.h / ofp-msgs.h; docs/ovs-notes.md §2.7). */
    static final int NXT_SET_PACKET_IN_FORMAT = 16;

    static final int NXT_RESUME = 28;
    static final int NXT_PACKET_IN2 = 30;

    static final int ONF_BUNDLE_CONTROL = 2300;
    static final int ONF_BUNDLE_ADD = 2301;

    static final long ANY = 0xffff_ffffL;
    static final long NO_BUFFER = 0xffff_ffffL;
    static final int ALL_TABLES = 0xff;

    private Wire() {}

    static void need(ByteBuf in, int n, String what) {
        if (n < 0 || in.readableBytes() < n) {
            throw new OfProtocolException(what + ": need " + n + " bytes, have " + in.readableBytes());
        }
    }

    static int u8(ByteBuf in, String what) {
        need(in, 1, what);
        return in.readUnsignedByte();
    }

    static int u16(ByteBuf in, String what) {
        need(in, 2, what);
        return in.readUnsignedShort();
    }

    static long u32(ByteBuf in, String what) {
        need(in, 4, what);
        return in.readUnsignedInt();
    }

    static long u64(ByteBuf in, String what) {
        need(in, 8, what);
        return in.readLong();
    }

    static void skip(ByteBuf in, int n, String what) {
        need(in, n, what);
        in.skipBytes(n);
    }

    static byte[] bytes(ByteBuf in, int n, String what) {
        need(in, n, what);
        byte[] b = new byte[n];
        in.readBytes(b);
        return b;
    }

    /** Takes the next {@code n} bytes as a slice, so nested parsing cannot run past them. */
    static ByteBuf slice(ByteBuf in, int n, String what) {
        need(in, n, what);
        return in.readSlice(n);
    }

    static void zeros(ByteBuf out, int n) {
        out.writeZero(n);
    }

    /** Bytes to add after {@code length} to reach a multiple of 8. */
    static int padding(int length) {
        return (8 - (length & 7)) & 7;
    }

    static long checkXid(long xid) {
        if (xid < 0 || xid > 0xffff_ffffL) {
            throw new IllegalArgumentException("xid out of 32-bit range: " + xid);
        }
        return xid;
    }

    static int checkU16(int v, String what) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(what + " out of 16-bit range: " + v);
        }
        return v;
    }

    static long checkU32(long v, String what) {
        if (v < 0 || v > 0xffff_ffffL) {
            throw new IllegalArgumentException(what + " out of 32-bit range: " + v);
        }
        return v;
    }
}
