package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.ovsanp.compiler.flow.ConjId;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Actions (OpenFlow 1.3 §7.2.5) and the Nicira actions ovs-anp uses (docs/ovs-notes.md §2.2-2.3): OUTPUT,
 * SET_FIELD, NXAST_RESUBMIT_TABLE (14), NXAST_CONJUNCTION (34, clause 0-based on the wire) and
 * NXAST_CT (35), NXAST_CONTROLLER2 (37) with only max_len and meter_id (the audit copy) or only max_len and
 * pause (docs/ovs-notes.md §2.7). NXAST_REG_LOAD (7) of a whole 32-bit field is read as set_field, the form OVS
 * dumps it in; everything else is opaque.
 */
final class ActionCodec {
    static final int OUTPUT = 0;
    static final int SET_FIELD = 25;
    static final int EXPERIMENTER = 0xffff;

    static final int NXAST_REG_LOAD = 7;
    static final int NXAST_RESUBMIT_TABLE = 14;
    static final int NXAST_CONJUNCTION = 34;
    static final int NXAST_CT = 35;
    static final int NXAST_CONTROLLER2 = 37;
    /** NXAC2PT_* property types of NXAST_CONTROLLER2 (nicira-ext.h). */
    static final int NXAC2PT_MAX_LEN = 0;

    static final int NXAC2PT_REASON = 2;
    static final int NXAC2PT_PAUSE = 4;
    static final int NXAC2PT_METER_ID = 5;
    static final int OFPR_ACTION = 1;

    static final long CONTROLLER = 0xffff_fffdL;
    static final int IN_PORT_UNCHANGED = 0xfff8;
    static final int CT_RECIRC_NONE = 0xff;
    static final int CT_COMMIT = 1;

    private ActionCodec() {}

    static void write(FlowAction a, ByteBuf out) {
        if (a instanceof FlowAction.Output o) {
            out.writeShort(OUTPUT).writeShort(16).writeInt((int) o.port());
            out.writeShort(o.port() == CONTROLLER ? 0xffff : 0).writeZero(6);
        } else if (a instanceof FlowAction.SetField s) {
            out.writeShort(SET_FIELD).writeShort(16);
            out.writeInt((int) OxmCodec.spec(s.field()).header(false)).writeInt((int) s.value());
            out.writeZero(4);
        } else if (a instanceof FlowAction.Resubmit r) {
            nxHeader(out, 16, NXAST_RESUBMIT_TABLE);
            out.writeShort(IN_PORT_UNCHANGED).writeByte(r.table().value()).writeZero(3);
        } else if (a instanceof FlowAction.Conjunction c) {
            nxHeader(out, 16, NXAST_CONJUNCTION);
            out.writeByte(c.clause() - 1).writeByte(c.nClauses()).writeInt((int) c.id().value());
        } else if (a instanceof FlowAction.Ct ct) {
            int start = out.writerIndex();
            nxHeader(out, 0, NXAST_CT);
            out.writeShort(ct.commit() ? CT_COMMIT : 0).writeInt(0).writeShort(ct.zone());
            out.writeByte(ct.table().map(TableId::value).orElse(CT_RECIRC_NONE)).writeZero(3);
            out.writeShort(0);
            for (FlowAction nested : ct.nested()) {
                write(nested, out);
            }
            out.setShort(start + 2, out.writerIndex() - start);
        } else if (a instanceof FlowAction.Controller c) {
            // Header and 6 pad bytes, then properties; OVS writes max_len as an 8-byte property.
            nxHeader(out, 32, NXAST_CONTROLLER2);
            out.writeZero(6);
            out.writeShort(NXAC2PT_MAX_LEN).writeShort(8).writeShort(c.maxLen()).writeZero(2);
            out.writeShort(NXAC2PT_METER_ID).writeShort(8).writeInt((int) c.meterId());
        } else if (a instanceof FlowAction.Pause p) {
            // As OVS encodes it: no max_len property for the default 65535, then the empty pause property.
            boolean maxLen = p.maxLen() != FlowAction.Pause.WHOLE_PACKET;
            nxHeader(out, maxLen ? 32 : 24, NXAST_CONTROLLER2);
            out.writeZero(6);
            if (maxLen) {
                out.writeShort(NXAC2PT_MAX_LEN)
                        .writeShort(8)
                        .writeShort(p.maxLen())
                        .writeZero(2);
            }
            out.writeShort(NXAC2PT_PAUSE).writeShort(4).writeZero(4);
        } else if (a instanceof FlowAction.GotoTable) {
            throw new IllegalArgumentException("goto_table is an instruction, not an action");
        } else {
            throw new AssertionError("unhandled action " + a);
        }
    }

    private static void nxHeader(ByteBuf out, int length, int subtype) {
        out.writeShort(EXPERIMENTER)
                .writeShort(length)
                .writeInt((int) Wire.NICIRA)
                .writeShort(subtype);
    }

    /** Reads actions until {@code in} is exhausted; {@code depth} 1 is inside ct(...). */
    static List<FlowAction> read(ByteBuf in, Opaque opaque, int depth) {
        List<FlowAction> actions = new ArrayList<>();
        while (in.isReadable()) {
            int type = Wire.u16(in, "action type");
            int length = Wire.u16(in, "action length");
            if (length < 8 || length % 8 != 0) {
                throw new OfProtocolException("action " + type + ": bad length " + length);
            }
            ByteBuf body = Wire.slice(in, length - 4, "action " + type);
            FlowAction a = one(type, length, body, opaque, depth);
            if (a != null) {
                actions.add(a);
            }
        }
        return actions;
    }

    private static FlowAction one(int type, int length, ByteBuf body, Opaque opaque, int depth) {
        if (type == OUTPUT) {
            fixed(length, 16, "output");
            long port = body.readUnsignedInt();
            int maxLen = body.readUnsignedShort();
            if (maxLen != (port == CONTROLLER ? 0xffff : 0)) {
                opaque.note("output max_len " + maxLen);
            }
            return new FlowAction.Output(port);
        } else if (type == SET_FIELD) {
            long header = Wire.u32(body, "set_field oxm");
            Optional<Field> f = OxmCodec.field32(header).filter(ActionCodec::settable);
            if (f.isEmpty()) {
                opaque.note(String.format("set_field of oxm 0x%08x", header));
                return null;
            }
            return setField(f.get(), Wire.u32(body, "set_field value"), opaque);
        } else if (type == EXPERIMENTER) {
            long experimenter = Wire.u32(body, "experimenter");
            if (experimenter != Wire.NICIRA) {
                opaque.note(String.format("experimenter action 0x%x", experimenter));
                return null;
            }
            return nicira(Wire.u16(body, "nx subtype"), length, body, opaque, depth);
        }
        opaque.note("action type " + type);
        return null;
    }

    private static FlowAction nicira(int subtype, int length, ByteBuf body, Opaque opaque, int depth) {
        switch (subtype) {
            case NXAST_RESUBMIT_TABLE:
                fixed(length, 16, "resubmit");
                int inPort = body.readUnsignedShort();
                int table = body.readUnsignedByte();
                if (inPort != IN_PORT_UNCHANGED || table > 253) {
                    opaque.note("resubmit(" + inPort + "," + table + ")");
                    return null;
                }
                return new FlowAction.Resubmit(TableId.of(table));
            case NXAST_CONJUNCTION:
                fixed(length, 16, "conjunction");
                int clause = body.readUnsignedByte();
                int n = body.readUnsignedByte();
                long id = body.readUnsignedInt();
                try {
                    return new FlowAction.Conjunction(new ConjId(id), clause + 1, n);
                } catch (IllegalArgumentException e) {
                    opaque.note(e.getMessage());
                    return null;
                }
            case NXAST_REG_LOAD:
                fixed(length, 24, "reg_load");
                int ofsNbits = body.readUnsignedShort();
                long dst = body.readUnsignedInt();
                long value = body.readLong();
                Optional<Field> f = OxmCodec.field32(dst).filter(ActionCodec::settable);
                if (f.isEmpty() || ofsNbits != 31 || value < 0 || value > 0xffff_ffffL) {
                    opaque.note(String.format("load to 0x%08x bits 0x%x", dst, ofsNbits));
                    return null;
                }
                return setField(f.get(), value, opaque);
            case NXAST_CT:
                return ct(length, body, opaque, depth);
            case NXAST_CONTROLLER2:
                return controller(body, opaque);
            default:
                opaque.note("nicira action subtype " + subtype);
                return null;
        }
    }

    private static FlowAction ct(int length, ByteBuf body, Opaque opaque, int depth) {
        if (length < 24) {
            throw new OfProtocolException("ct: bad length " + length);
        }
        int flags = body.readUnsignedShort();
        long zoneSrc = body.readUnsignedInt();
        int zone = body.readUnsignedShort();
        int recirc = body.readUnsignedByte();
        body.skipBytes(3);
        int alg = body.readUnsignedShort();
        if (depth > 0) {
            opaque.note("ct inside ct");
            return null;
        }
        List<FlowAction> nested = read(body, opaque, depth + 1);
        if ((flags & ~CT_COMMIT) != 0 || zoneSrc != 0 || alg != 0 || (recirc > 253 && recirc != CT_RECIRC_NONE)) {
            opaque.note(String.format("ct flags=%d zone_src=0x%x alg=%d table=%d", flags, zoneSrc, alg, recirc));
            return null;
        }
        Optional<TableId> table = recirc == CT_RECIRC_NONE ? Optional.empty() : Optional.of(TableId.of(recirc));
        try {
            return new FlowAction.Ct((flags & CT_COMMIT) != 0, zone, table, nested);
        } catch (IllegalArgumentException e) {
            opaque.note(e.getMessage());
            return null;
        }
    }

    /**
     * NXAST_CONTROLLER2 as OVS dumps {@code controller(max_len=M,meter_id=N)} or {@code
     * controller(max_len=M,pause)}: absent properties take OVS's defaults (max_len 65535, reason
     * action, controller id 0, no meter, no pause); any other property (userdata, a controller id),
     * or a meter together with pause, makes the action opaque.
     */
    private static FlowAction controller(ByteBuf body, Opaque opaque) {
        Wire.skip(body, 6, "controller2 pad");
        int maxLen = 0xffff;
        int reason = OFPR_ACTION;
        long meterId = -1;
        boolean pause = false;
        while (body.isReadable()) {
            int type = Wire.u16(body, "controller2 property type");
            int length = Wire.u16(body, "controller2 property length");
            if (length < 4) {
                throw new OfProtocolException("controller2 property " + type + ": bad length " + length);
            }
            ByteBuf value = Wire.slice(body, length - 4, "controller2 property " + type);
            Wire.skip(body, Wire.padding(length), "controller2 property padding");
            if (type == NXAC2PT_MAX_LEN) {
                maxLen = Wire.u16(value, "controller2 max_len");
            } else if (type == NXAC2PT_REASON) {
                reason = Wire.u8(value, "controller2 reason");
            } else if (type == NXAC2PT_METER_ID) {
                meterId = Wire.u32(value, "controller2 meter_id");
            } else if (type == NXAC2PT_PAUSE && length == 4) {
                pause = true;
            } else {
                opaque.note("controller property " + type);
            }
        }
        if (pause) {
            if (reason != OFPR_ACTION || meterId >= 0) {
                opaque.note("controller(pause) with reason " + reason + " meter_id " + meterId);
                return null;
            }
            return new FlowAction.Pause(maxLen);
        }
        if (reason != OFPR_ACTION || meterId < 0) {
            opaque.note("controller reason " + reason + " meter_id " + meterId);
            return null;
        }
        try {
            return new FlowAction.Controller(maxLen, meterId);
        } catch (IllegalArgumentException e) {
            opaque.note(e.getMessage());
            return null;
        }
    }

    private static FlowAction setField(Field f, long value, Opaque opaque) {
        try {
            return new FlowAction.SetField(f, value);
        } catch (IllegalArgumentException e) {
            opaque.note(e.getMessage());
            return null;
        }
    }

    private static boolean settable(Field f) {
        return f == Field.CT_MARK || f.name().startsWith("REG");
    }

    private static void fixed(int length, int expected, String what) {
        if (length != expected) {
            throw new OfProtocolException(what + ": length " + length + ", expected " + expected);
        }
    }
}
