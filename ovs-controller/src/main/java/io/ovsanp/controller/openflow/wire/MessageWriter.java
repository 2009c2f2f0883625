package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.TableId;
import java.util.Optional;

/** Writes {@link OfMessage}s in OpenFlow 1.3 layout (OpenFlow 1.3.5 §7; ONF bundles per docs/ovs-notes.md §2.5). */
final class MessageWriter {
    private MessageWriter() {}

    static void write(OfMessage m, ByteBuf out) {
        int start = out.writerIndex();
        out.writeByte(Wire.VERSION).writeByte(type(m)).writeShort(0).writeInt((int) m.xid());
        body(m, out);
        int length = out.writerIndex() - start;
        if (length > Wire.MAX_LENGTH) {
            out.writerIndex(start);
            throw new IllegalArgumentException("message of " + length + " bytes exceeds 65535: " + describe(m));
        }
        out.setShort(start + 2, length);
    }

    private static String describe(OfMessage m) {
        String s = m.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static int type(OfMessage m) {
        if (m instanceof OfMessage.Hello) return Wire.HELLO;
        if (m instanceof ErrorMsg) return Wire.ERROR;
        if (m instanceof OfMessage.EchoRequest) return Wire.ECHO_REQUEST;
        if (m instanceof OfMessage.EchoReply) return Wire.ECHO_REPLY;
        if (m instanceof OfMessage.FeaturesRequest) return Wire.FEATURES_REQUEST;
        if (m instanceof OfMessage.FeaturesReply) return Wire.FEATURES_REPLY;
        if (m instanceof OfMessage.SetConfig) return Wire.SET_CONFIG;
        if (m instanceof FlowMod) return Wire.FLOW_MOD;
        if (m instanceof FlowStatsRequest) return Wire.MULTIPART_REQUEST;
        if (m instanceof FlowStatsReply) return Wire.MULTIPART_REPLY;
        if (m instanceof OfMessage.BarrierRequest) return Wire.BARRIER_REQUEST;
        if (m instanceof OfMessage.BarrierReply) return Wire.BARRIER_REPLY;
        if (m instanceof BundleControl || m instanceof BundleAdd) return Wire.EXPERIMENTER;
        if (m instanceof SetPacketInFormat || m instanceof Resume) return Wire.EXPERIMENTER;
        if (m instanceof RoleMessage r) return r.reply() ? Wire.ROLE_REPLY : Wire.ROLE_REQUEST;
        if (m instanceof PacketIn p) {
            return p.format() == PacketIn.Format.OPENFLOW13 ? Wire.PACKET_IN : Wire.EXPERIMENTER;
        }
        if (m instanceof MeterMod) return Wire.METER_MOD;
        if (m instanceof OfMessage.Unknown u) return u.type();
        throw new AssertionError("unhandled message " + m);
    }

    private static void body(OfMessage m, ByteBuf out) {
        if (m instanceof OfMessage.Hello h) {
            int bitmap = 0;
            for (int v : h.versions()) {
                bitmap |= 1 << v;
            }
            // OFPHET_VERSIONBITMAP element: type 1, length 8, one bitmap word (OpenFlow 1.3 §7.5.1).
            out.writeShort(1).writeShort(8).writeInt(bitmap);
        } else if (m instanceof ErrorMsg e) {
            out.writeShort(e.error().type()).writeShort(e.error().code());
            if (e.error().isExperimenter()) {
                out.writeInt((int) e.error().experimenter());
            }
            out.writeBytes(e.data().toArray());
        } else if (m instanceof OfMessage.EchoRequest e) {
            out.writeBytes(e.data().toArray());
        } else if (m instanceof OfMessage.EchoReply e) {
            out.writeBytes(e.data().toArray());
        } else if (m instanceof OfMessage.FeaturesReply f) {
            out.writeLong(f.datapathId().value()).writeInt((int) f.nBuffers());
            out.writeByte(f.nTables()).writeByte(f.auxiliaryId()).writeZero(2);
            out.writeInt((int) f.capabilities()).writeInt(0);
        } else if (m instanceof OfMessage.SetConfig c) {
            out.writeShort(c.flags()).writeShort(c.missSendLen());
        } else if (m instanceof FlowMod f) {
            flowMod(f, out);
        } else if (m instanceof FlowStatsRequest r) {
            out.writeShort(Wire.MULTIPART_FLOW).writeShort(0).writeZero(4);
            out.writeByte(r.table().map(TableId::value).orElse(Wire.ALL_TABLES)).writeZero(3);
            out.writeInt((int) Wire.ANY).writeInt((int) Wire.ANY).writeZero(4);
            out.writeLong(r.cookie().value()).writeLong(r.cookieMask());
            FlowCodec.writeMatch(r.match(), out);
        } else if (m instanceof FlowStatsReply r) {
            out.writeShort(Wire.MULTIPART_FLOW).writeShort(r.more() ? Wire.MULTIPART_REPLY_MORE : 0);
            out.writeZero(4);
            for (DumpedFlow d : r.flows()) {
                dumpedFlow(d, out);
            }
        } else if (m instanceof BundleControl c) {
            out.writeInt((int) Wire.ONF).writeInt(Wire.ONF_BUNDLE_CONTROL);
            out.writeInt((int) c.bundleId()).writeShort(c.type().code()).writeShort(c.flags());
        } else if (m instanceof BundleAdd a) {
            out.writeInt((int) Wire.ONF).writeInt(Wire.ONF_BUNDLE_ADD);
            out.writeInt((int) a.bundleId()).writeShort(0).writeShort(a.flags());
            write(a.message(), out);
        } else if (m instanceof RoleMessage r) {
            out.writeInt(r.role().code()).writeZero(4).writeLong(r.generationId());
        } else if (m instanceof SetPacketInFormat f) {
            out.writeInt((int) Wire.NICIRA)
                    .writeInt(Wire.NXT_SET_PACKET_IN_FORMAT)
                    .writeInt(f.format());
        } else if (m instanceof Resume r) {
            out.writeInt((int) Wire.NICIRA).writeInt(Wire.NXT_RESUME);
            PacketInProperties.write(
                    new PacketInProperties.Read(
                            r.packet(),
                            Optional.empty(),
                            Optional.empty(),
                            r.tableId(),
                            r.cookie(),
                            r.reason(),
                            r.metadata(),
                            Optional.of(r.continuation())),
                    out);
        } else if (m instanceof PacketIn p && p.format() == PacketIn.Format.NXT_PACKET_IN2) {
            out.writeInt((int) Wire.NICIRA).writeInt(Wire.NXT_PACKET_IN2);
            PacketInProperties.write(
                    new PacketInProperties.Read(
                            p.data(),
                            p.totalLen() == p.data().length() ? Optional.empty() : Optional.of((long) p.totalLen()),
                            p.bufferId() == Wire.NO_BUFFER ? Optional.empty() : Optional.of(p.bufferId()),
                            p.tableId(),
                            p.cookie(),
                            p.reason(),
                            p.rawMatch(),
                            p.continuation()),
                    out);
        } else if (m instanceof PacketIn p) {
            out.writeInt((int) p.bufferId())
                    .writeShort(p.totalLen())
                    .writeByte(p.reason())
                    .writeByte(p.tableId());
            out.writeLong(p.cookie());
            FlowCodec.writeRawMatch(p.rawMatch(), out);
            out.writeZero(2).writeBytes(p.data().toArray());
        } else if (m instanceof MeterMod mm) {
            out.writeShort(mm.command().code()).writeShort(mm.flags()).writeInt((int) mm.meterId());
            out.writeShort(MeterMod.BAND_DROP)
                    .writeShort(16)
                    .writeInt((int) mm.rate())
                    .writeInt((int) mm.burst());
            out.writeZero(4);
        } else if (m instanceof OfMessage.Unknown u) {
            out.writeBytes(u.body().toArray());
        }
        // FeaturesRequest, BarrierRequest and BarrierReply are a bare header.
    }

    private static void flowMod(FlowMod f, ByteBuf out) {
        out.writeLong(f.cookie().value()).writeLong(f.cookieMask());
        out.writeByte(f.table().map(TableId::value).orElse(Wire.ALL_TABLES))
                .writeByte(f.command().code());
        out.writeShort(f.idleTimeout())
                .writeShort(f.hardTimeout())
                .writeShort(f.priority().value());
        out.writeInt((int) Wire.NO_BUFFER).writeInt((int) Wire.ANY).writeInt((int) Wire.ANY);
        out.writeShort(f.flags()).writeZero(2);
        if (f.rawMatch().isPresent()) {
            FlowCodec.writeRawMatch(f.rawMatch().get(), out);
        } else {
            FlowCodec.writeMatch(f.match(), out);
        }
        FlowCodec.writeInstructions(f.actions(), out);
    }

    /** {@code ofp_flow_stats}; only entries with a flow can be written (tests and simulators use this). */
    private static void dumpedFlow(DumpedFlow d, ByteBuf out) {
        Flow flow = d.flow().orElseThrow(() -> new IllegalArgumentException("cannot encode an opaque flow"));
        int start = out.writerIndex();
        out.writeShort(0).writeByte(d.tableId()).writeZero(1);
        out.writeInt((int) d.durationSec()).writeInt((int) d.durationNsec());
        out.writeShort(d.priority().value()).writeShort(d.idleTimeout()).writeShort(d.hardTimeout());
        out.writeShort(d.flags()).writeZero(4);
        out.writeLong(d.cookie().value()).writeLong(d.packetCount()).writeLong(d.byteCount());
        FlowCodec.writeRawMatch(d.rawMatch(), out);
        FlowCodec.writeInstructions(flow.actions(), out);
        out.setShort(start, out.writerIndex() - start);
    }
}
