package io.ovsanp.controller.openflow.wire;

import java.util.Set;
import java.util.TreeSet;

/**
 * One OpenFlow 1.3 message. {@link #xid()} is the unsigned 32-bit transaction id; replies carry
 * the request's. The records here are the small messages; {@link FlowMod}, {@link
 * FlowStatsRequest}, {@link FlowStatsReply}, {@link BundleControl}, {@link BundleAdd}, {@link
 * RoleMessage}, {@link PacketIn}, {@link SetPacketInFormat}, {@link Resume}, {@link MeterMod} and {@link ErrorMsg}
 * have files of their own. Message types the codec does not know become {@link Unknown}.
 */
public sealed interface OfMessage
        permits OfMessage.Hello,
                OfMessage.EchoRequest,
                OfMessage.EchoReply,
                OfMessage.FeaturesRequest,
                OfMessage.FeaturesReply,
                OfMessage.SetConfig,
                OfMessage.BarrierRequest,
                OfMessage.BarrierReply,
                OfMessage.Unknown,
                ErrorMsg,
                FlowMod,
                FlowStatsRequest,
                FlowStatsReply,
                BundleControl,
                BundleAdd,
                RoleMessage,
                PacketIn,
                SetPacketInFormat,
                Resume,
                MeterMod {

    long xid();

    /**
     * OFPT_HELLO with an OFPHET_VERSIONBITMAP element (OpenFlow 1.3 §7.5.1). A HELLO without a
     * bitmap decodes as every version up to its header's, as §6.3.1 negotiation reads it.
     */
    record Hello(long xid, Set<Integer> versions) implements OfMessage {
        public static final int OF13 = Wire.VERSION;

        public Hello {
            Wire.checkXid(xid);
            versions = Set.copyOf(new TreeSet<>(versions));
            for (int v : versions) {
                if (v < 1 || v > 31) {
                    throw new IllegalArgumentException("version outside the 32-bit bitmap: " + v);
                }
            }
        }

        /** The HELLO ovs-anp sends: OpenFlow 1.3 only (bitmap bit 4). */
        public static Hello of13(long xid) {
            return new Hello(xid, Set.of(OF13));
        }

        public boolean supports13() {
            return versions.contains(OF13);
        }
    }

    /** OFPT_ECHO_REQUEST; answer with an {@link EchoReply} carrying the same xid and data. */
    record EchoRequest(long xid, Bytes data) implements OfMessage {
        public EchoRequest {
            Wire.checkXid(xid);
        }

        public EchoReply reply() {
            return new EchoReply(xid, data);
        }
    }

    record EchoReply(long xid, Bytes data) implements OfMessage {
        public EchoReply {
            Wire.checkXid(xid);
        }
    }

    record FeaturesRequest(long xid) implements OfMessage {
        public FeaturesRequest {
            Wire.checkXid(xid);
        }
    }

    /** OFPT_FEATURES_REPLY ({@code ofp_switch_features}, OpenFlow 1.3 §7.3.1). */
    record FeaturesReply(
            long xid, DatapathId datapathId, long nBuffers, int nTables, int auxiliaryId, long capabilities)
            implements OfMessage {
        public FeaturesReply {
            Wire.checkXid(xid);
            Wire.checkU32(nBuffers, "n_buffers");
            Wire.checkU32(capabilities, "capabilities");
            if (nTables < 0 || nTables > 0xff || auxiliaryId < 0 || auxiliaryId > 0xff) {
                throw new IllegalArgumentException("n_tables/auxiliary_id out of 8-bit range");
            }
        }
    }

    /** OFPT_SET_CONFIG: {@code miss_send_len} > 0 enables async messages on service connections. */
    record SetConfig(long xid, int flags, int missSendLen) implements OfMessage {
        /** OFPCML_NO_BUFFER: send whole packets. */
        public static final int NO_BUFFER = 0xffff;

        public SetConfig {
            Wire.checkXid(xid);
            Wire.checkU16(flags, "flags");
            Wire.checkU16(missSendLen, "miss_send_len");
        }
    }

    record BarrierRequest(long xid) implements OfMessage {
        public BarrierRequest {
            Wire.checkXid(xid);
        }
    }

    record BarrierReply(long xid) implements OfMessage {
        public BarrierReply {
            Wire.checkXid(xid);
        }
    }

    /**
     * A message type (or experimenter, or multipart type) this codec does not model: {@code body}
     * is everything after the 8-byte header, so it re-encodes to the bytes it came from.
     */
    record Unknown(int type, long xid, Bytes body) implements OfMessage {
        public Unknown {
            if (type < 0 || type > 0xff) {
                throw new IllegalArgumentException("message type out of 8-bit range: " + type);
            }
            Wire.checkXid(xid);
        }
    }
}
