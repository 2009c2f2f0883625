package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one framed OpenFlow 1.3 message. Bad framing or lengths throw {@link OfProtocolException};
 * a message type, experimenter or variant the codec does not model (a flow-mod with a buffer id,
 * a flow-stats request with an out_port filter, another multipart type) becomes {@link
 * OfMessage.Unknown}.
 */
final class MessageReader {
    /** A well-formed variant this codec does not model: the message becomes Unknown. */
    private static final class Unmodelled extends Exception {
        private static final long serialVersionUID = 1L;

        Unmodelled() {
            super(null, null, false, false);
        }
    }

    private MessageReader() {}

    static OfMessage read(ByteBuf frame) {
        return read(frame, false);
    }

    private static OfMessage read(ByteBuf frame, boolean inBundle) {
        int total = frame.readableBytes();
        int version = Wire.u8(frame, "version");
        int type = Wire.u8(frame, "type");
        int length = Wire.u16(frame, "length");
        long xid = Wire.u32(frame, "xid");
        if (length != total) {
            throw new OfProtocolException("header length " + length + " but frame of " + total + " bytes");
        }
        if (version != Wire.VERSION && type != Wire.HELLO) {
            throw new OfProtocolException("OpenFlow version 0x" + Integer.toHexString(version) + " is not 1.3");
        }
        int bodyStart = frame.readerIndex();
        try {
            OfMessage m = body(type, version, xid, frame, inBundle);
            if (frame.isReadable()) {
                throw new OfProtocolException("type " + type + ": " + frame.readableBytes() + " trailing bytes");
            }
            return m;
        } catch (Unmodelled e) {
            byte[] body = ByteBufUtil.getBytes(frame, bodyStart, length - Wire.HEADER_LENGTH);
            frame.readerIndex(bodyStart + body.length);
            return new OfMessage.Unknown(type, xid, Bytes.of(body));
        } catch (IllegalArgumentException e) {
            // A value the message records refuse (e.g. a bundle add whose inner xid differs).
            throw new OfProtocolException("type " + type + ": " + e.getMessage(), e);
        }
    }

    private static OfMessage body(int type, int version, long xid, ByteBuf in, boolean inBundle) throws Unmodelled {
        switch (type) {
            case Wire.HELLO:
                return hello(xid, version, in);
            case Wire.ERROR:
                return error(xid, in);
            case Wire.ECHO_REQUEST:
                return new OfMessage.EchoRequest(xid, rest(in));
            case Wire.ECHO_REPLY:
                return new OfMessage.EchoReply(xid, rest(in));
            case Wire.EXPERIMENTER:
                return experimenter(xid, in, inBundle);
            case Wire.FEATURES_REQUEST:
                return new OfMessage.FeaturesRequest(xid);
            case Wire.FEATURES_REPLY:
                long dpid = Wire.u64(in, "datapath_id");
                long nBuffers = Wire.u32(in, "n_buffers");
                int nTables = Wire.u8(in, "n_tables");
                int aux = Wire.u8(in, "auxiliary_id");
                Wire.skip(in, 2, "pad");
                long capabilities = Wire.u32(in, "capabilities");
                Wire.skip(in, 4, "reserved");
                return new OfMessage.FeaturesReply(xid, new DatapathId(dpid), nBuffers, nTables, aux, capabilities);
            case Wire.SET_CONFIG:
                return new OfMessage.SetConfig(xid, Wire.u16(in, "flags"), Wire.u16(in, "miss_send_len"));
            case Wire.FLOW_MOD:
                return flowMod(xid, in);
            case Wire.MULTIPART_REQUEST:
                return multipartRequest(xid, in);
            case Wire.MULTIPART_REPLY:
                return multipartReply(xid, in);
            case Wire.BARRIER_REQUEST:
                return new OfMessage.BarrierRequest(xid);
            case Wire.BARRIER_REPLY:
                return new OfMessage.BarrierReply(xid);
            case Wire.ROLE_REQUEST:
            case Wire.ROLE_REPLY:
                RoleMessage.Role role = RoleMessage.Role.of(Wire.u32(in, "role"));
                Wire.skip(in, 4, "pad");
                return new RoleMessage(xid, type == Wire.ROLE_REPLY, role, Wire.u64(in, "generation_id"));
            case Wire.PACKET_IN:
                return packetIn(xid, in);
            case Wire.METER_MOD:
                return meterMod(xid, in);
            default:
                throw new Unmodelled();
        }
    }

    private static PacketIn packetIn(long xid, ByteBuf in) {
        long bufferId = Wire.u32(in, "buffer_id");
        int totalLen = Wire.u16(in, "total_len");
        int reason = Wire.u8(in, "reason");
        int table = Wire.u8(in, "table_id");
        long cookie = Wire.u64(in, "cookie");
        Bytes match = FlowCodec.readMatch(in).rawOxms();
        Wire.skip(in, 2, "pad");
        return new PacketIn(xid, bufferId, totalLen, reason, table, cookie, match, rest(in));
    }

    /** A METER_MOD with exactly one drop band, as {@link MeterMod} writes; anything else is unmodelled. */
    private static OfMessage meterMod(long xid, ByteBuf in) throws Unmodelled {
        int command = Wire.u16(in, "meter_mod command");
        int flags = Wire.u16(in, "meter_mod flags");
        long meterId = Wire.u32(in, "meter_id");
        if (in.readableBytes() != 16) throw new Unmodelled();
        int band = Wire.u16(in, "band type");
        int length = Wire.u16(in, "band length");
        long rate = Wire.u32(in, "band rate");
        long burst = Wire.u32(in, "band burst_size");
        Wire.skip(in, 4, "band pad");
        if (command > 2 || band != MeterMod.BAND_DROP || length != 16) throw new Unmodelled();
        MeterMod m = new MeterMod(xid, MeterMod.Command.of(command), meterId, rate, burst);
        if (m.flags() != flags) throw new Unmodelled();
        return m;
    }

    private static Bytes rest(ByteBuf in) {
        byte[] b = new byte[in.readableBytes()];
        in.readBytes(b);
        return Bytes.of(b);
    }

    private static OfMessage hello(long xid, int version, ByteBuf in) {
        Set<Integer> versions = null;
        while (in.isReadable()) {
            int type = Wire.u16(in, "hello element type");
            int length = Wire.u16(in, "hello element length");
            if (length < 4) {
                throw new OfProtocolException("hello element length " + length);
            }
            ByteBuf payload = Wire.slice(in, length - 4, "hello element");
            in.skipBytes(Math.min(Wire.padding(length), in.readableBytes()));
            if (type == 1) {
                if (payload.readableBytes() % 4 != 0) {
                    throw new OfProtocolException("version bitmap of " + payload.readableBytes() + " bytes");
                }
                versions = new HashSet<>();
                for (int word = 0; payload.isReadable(); word++) {
                    long bits = payload.readUnsignedInt();
                    for (int bit = 0; bit < 32; bit++) {
                        if ((bits & (1L << bit)) != 0 && word == 0 && bit > 0) {
                            versions.add(bit);
                        }
                    }
                }
            }
        }
        if (versions == null) {
            versions = new HashSet<>();
            for (int v = 1; v <= Math.min(version, 31); v++) {
                versions.add(v);
            }
        }
        return new OfMessage.Hello(xid, versions);
    }

    private static OfMessage error(long xid, ByteBuf in) {
        int type = Wire.u16(in, "error type");
        int code = Wire.u16(in, "error code");
        long experimenter = type == OfError.EXPERIMENTER_TYPE ? Wire.u32(in, "error experimenter") : 0;
        if (type == OfError.EXPERIMENTER_TYPE && experimenter == 0) {
            throw new OfProtocolException("experimenter error with experimenter id 0");
        }
        return new ErrorMsg(xid, new OfError(type, code, experimenter), rest(in));
    }

    private static OfMessage experimenter(long xid, ByteBuf in, boolean inBundle) throws Unmodelled {
        long experimenter = Wire.u32(in, "experimenter");
        long expType = Wire.u32(in, "exp_type");
        if (experimenter == Wire.NICIRA) {
            return nicira(xid, expType, in);
        }
        if (experimenter != Wire.ONF || (expType != Wire.ONF_BUNDLE_CONTROL && expType != Wire.ONF_BUNDLE_ADD)) {
            throw new Unmodelled();
        }
        if (inBundle) {
            throw new OfProtocolException("bundle message inside a bundle add");
        }
        long bundleId = Wire.u32(in, "bundle_id");
        int controlType = Wire.u16(in, "bundle type");
        int flags = Wire.u16(in, "bundle flags");
        if (expType == Wire.ONF_BUNDLE_CONTROL) {
            in.skipBytes(in.readableBytes()); // bundle properties: OVS sends none, ovs-anp uses none
            return new BundleControl(xid, bundleId, BundleControl.Type.of(controlType), flags);
        }
        return new BundleAdd(xid, bundleId, flags, read(in.readSlice(in.readableBytes()), true));
    }

    /** The Nicira messages of continuations (docs/ovs-notes.md §2.7); other subtypes are unmodelled. */
    private static OfMessage nicira(long xid, long subtype, ByteBuf in) throws Unmodelled {
        if (subtype == Wire.NXT_SET_PACKET_IN_FORMAT) {
            long format = Wire.u32(in, "packet-in format");
            if (format > SetPacketInFormat.NXT_PACKET_IN2) throw new Unmodelled();
            return new SetPacketInFormat(xid, (int) format);
        }
        if (subtype != Wire.NXT_PACKET_IN2 && subtype != Wire.NXT_RESUME) {
            throw new Unmodelled();
        }
        PacketInProperties.Read p = PacketInProperties.read(in).orElseThrow(Unmodelled::new);
        if (subtype == Wire.NXT_RESUME) {
            if (p.bufferId().isPresent()
                    || p.continuation().isEmpty()
                    || p.fullLen().filter(n -> n != p.packet().length()).isPresent()) {
                throw new Unmodelled();
            }
            return new Resume(
                    xid,
                    p.packet(),
                    p.tableId(),
                    p.cookie(),
                    p.reason(),
                    p.metadata(),
                    p.continuation().get());
        }
        long fullLen = p.fullLen().orElse((long) p.packet().length());
        if (fullLen > Integer.MAX_VALUE) {
            throw new OfProtocolException("NXT_PACKET_IN2 full_len " + fullLen);
        }
        return new PacketIn(
                xid,
                p.bufferId().orElse(Wire.NO_BUFFER),
                (int) fullLen,
                p.reason(),
                p.tableId(),
                p.cookie(),
                p.metadata(),
                p.packet(),
                PacketIn.Format.NXT_PACKET_IN2,
                p.continuation());
    }

    private static OfMessage flowMod(long xid, ByteBuf in) throws Unmodelled {
        long cookie = Wire.u64(in, "cookie");
        long cookieMask = Wire.u64(in, "cookie_mask");
        int table = Wire.u8(in, "table_id");
        int command = Wire.u8(in, "command");
        int idle = Wire.u16(in, "idle_timeout");
        int hard = Wire.u16(in, "hard_timeout");
        int priority = Wire.u16(in, "priority");
        long bufferId = Wire.u32(in, "buffer_id");
        long outPort = Wire.u32(in, "out_port");
        long outGroup = Wire.u32(in, "out_group");
        int flags = Wire.u16(in, "flags");
        Wire.skip(in, 2, "pad");
        FlowCodec.MatchRead match = FlowCodec.readMatch(in);
        FlowCodec.Decoded<List<FlowAction>> actions = FlowCodec.readInstructions(in);
        if (bufferId != Wire.NO_BUFFER
                || outPort != Wire.ANY
                || outGroup != Wire.ANY
                || command >= FlowMod.Command.values().length
                || (table > 253 && table != Wire.ALL_TABLES)
                || actions.value().isEmpty()) {
            throw new Unmodelled();
        }
        Optional<Match> m = match.match().value();
        return new FlowMod(
                xid,
                FlowMod.Command.values()[command],
                table == Wire.ALL_TABLES ? Optional.empty() : Optional.of(TableId.of(table)),
                Priority.of(priority),
                new Cookie(cookie),
                cookieMask,
                m.orElse(Match.ANY),
                m.isPresent() ? Optional.empty() : Optional.of(match.rawOxms()),
                actions.value().get(),
                idle,
                hard,
                flags);
    }

    private static OfMessage multipartRequest(long xid, ByteBuf in) throws Unmodelled {
        int type = Wire.u16(in, "multipart type");
        int flags = Wire.u16(in, "multipart flags");
        Wire.skip(in, 4, "pad");
        if (type != Wire.MULTIPART_FLOW || flags != 0) {
            throw new Unmodelled();
        }
        int table = Wire.u8(in, "table_id");
        Wire.skip(in, 3, "pad");
        long outPort = Wire.u32(in, "out_port");
        long outGroup = Wire.u32(in, "out_group");
        Wire.skip(in, 4, "pad");
        long cookie = Wire.u64(in, "cookie");
        long cookieMask = Wire.u64(in, "cookie_mask");
        FlowCodec.MatchRead match = FlowCodec.readMatch(in);
        if (outPort != Wire.ANY
                || outGroup != Wire.ANY
                || (table > 253 && table != Wire.ALL_TABLES)
                || match.match().value().isEmpty()) {
            throw new Unmodelled();
        }
        return new FlowStatsRequest(
                xid,
                table == Wire.ALL_TABLES ? Optional.empty() : Optional.of(TableId.of(table)),
                new Cookie(cookie),
                cookieMask,
                match.match().value().get());
    }

    private static OfMessage multipartReply(long xid, ByteBuf in) throws Unmodelled {
        int type = Wire.u16(in, "multipart type");
        int flags = Wire.u16(in, "multipart flags");
        Wire.skip(in, 4, "pad");
        if (type != Wire.MULTIPART_FLOW) {
            throw new Unmodelled();
        }
        List<DumpedFlow> flows = new ArrayList<>();
        while (in.isReadable()) {
            flows.add(FlowStatsEntries.read(in));
        }
        return new FlowStatsReply(xid, (flags & Wire.MULTIPART_REPLY_MORE) != 0, flows);
    }
}
