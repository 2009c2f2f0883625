package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The flow model on the wire: a {@link Match} as an OXM {@code ofp_match} (OpenFlow 1.3 §7.2.2,
 * fields in the order OVS writes them, which puts prerequisites first), the actions as an
 * APPLY_ACTIONS instruction followed by GOTO_TABLE (§7.2.4; the order OVS writes). An empty action
 * list writes no instruction: drop. Reading is the inverse; what the model cannot hold comes back
 * as an opaque reason instead of a value, and only bad framing throws {@link OfProtocolException}.
 */
public final class FlowCodec {
    static final int MATCH_TYPE_OXM = 1;
    static final int GOTO_TABLE = 1;
    static final int APPLY_ACTIONS = 4;

    private FlowCodec() {}

    /** A decoded part: the value when the model can hold it, else why not. */
    public record Decoded<T>(Optional<T> value, String opaqueReason) {
        public Decoded {
            Objects.requireNonNull(value);
            Objects.requireNonNull(opaqueReason);
            if (value.isPresent() != opaqueReason.isEmpty()) {
                throw new IllegalArgumentException("exactly one of value and opaqueReason");
            }
        }

        static <T> Decoded<T> of(T value, Opaque opaque) {
            return opaque.any()
                    ? new Decoded<>(Optional.empty(), opaque.reason())
                    : new Decoded<>(Optional.of(value), "");
        }
    }

    /** Writes {@code ofp_match}: type OXM, length, TLVs, zero padding to 8 bytes. */
    public static void writeMatch(Match match, ByteBuf out) {
        int start = out.writerIndex();
        out.writeShort(MATCH_TYPE_OXM).writeShort(0);
        OxmCodec.write(match, out);
        finishMatch(out, start);
    }

    /** Writes {@code ofp_match} around OXM TLVs kept from a dump ({@link DumpedFlow#rawMatch()}). */
    public static void writeRawMatch(Bytes oxms, ByteBuf out) {
        int start = out.writerIndex();
        out.writeShort(MATCH_TYPE_OXM).writeShort(0);
        out.writeBytes(oxms.toArray());
        finishMatch(out, start);
    }

    private static void finishMatch(ByteBuf out, int start) {
        int length = out.writerIndex() - start;
        out.setShort(start + 2, length);
        out.writeZero(Wire.padding(length));
    }

    /** Writes the instructions for {@code actions}: APPLY_ACTIONS (if any action), then GOTO_TABLE. */
    public static void writeInstructions(List<FlowAction> actions, ByteBuf out) {
        List<FlowAction> apply = actions;
        Optional<TableId> gotoTable = Optional.empty();
        if (!actions.isEmpty() && actions.get(actions.size() - 1) instanceof FlowAction.GotoTable g) {
            apply = actions.subList(0, actions.size() - 1);
            gotoTable = Optional.of(g.table());
        }
        if (!apply.isEmpty()) {
            int start = out.writerIndex();
            out.writeShort(APPLY_ACTIONS).writeShort(0).writeZero(4);
            for (FlowAction a : apply) {
                ActionCodec.write(a, out);
            }
            out.setShort(start + 2, out.writerIndex() - start);
        }
        gotoTable.ifPresent(t ->
                out.writeShort(GOTO_TABLE).writeShort(8).writeByte(t.value()).writeZero(3));
    }

    /** The match's {@code ofp_match} bytes (header, TLVs, padding). */
    public static byte[] encodeMatch(Match match) {
        ByteBuf buf = Unpooled.buffer();
        writeMatch(match, buf);
        return ByteBufUtil.getBytes(buf);
    }

    /** The instruction bytes for {@code actions}; empty for drop. */
    public static byte[] encodeInstructions(List<FlowAction> actions) {
        ByteBuf buf = Unpooled.buffer();
        writeInstructions(actions, buf);
        return ByteBufUtil.getBytes(buf);
    }

    /** A match read from the wire and its TLVs exactly as received. */
    public record MatchRead(Decoded<Match> match, Bytes rawOxms) {}

    /** Reads one {@code ofp_match} including its padding. */
    public static MatchRead readMatch(ByteBuf in) {
        int type = Wire.u16(in, "match type");
        int length = Wire.u16(in, "match length");
        if (type != MATCH_TYPE_OXM) {
            throw new OfProtocolException("match type " + type + " is not OXM");
        }
        if (length < 4) {
            throw new OfProtocolException("match length " + length);
        }
        ByteBuf oxms = Wire.slice(in, length - 4, "match");
        Wire.skip(in, Wire.padding(length), "match padding");
        Bytes raw = Bytes.of(ByteBufUtil.getBytes(oxms));
        Opaque opaque = new Opaque();
        Match m = OxmCodec.read(oxms, opaque);
        return new MatchRead(Decoded.of(m, opaque), raw);
    }

    /** Reads instructions until {@code in} is exhausted. */
    public static Decoded<List<FlowAction>> readInstructions(ByteBuf in) {
        Opaque opaque = new Opaque();
        List<FlowAction> apply = null;
        FlowAction.GotoTable gotoTable = null;
        boolean sawGoto = false;
        while (in.isReadable()) {
            int type = Wire.u16(in, "instruction type");
            int length = Wire.u16(in, "instruction length");
            if (length < 8 || length % 8 != 0) {
                throw new OfProtocolException("instruction " + type + ": bad length " + length);
            }
            ByteBuf body = Wire.slice(in, length - 4, "instruction " + type);
            if (type == APPLY_ACTIONS) {
                body.skipBytes(4);
                List<FlowAction> actions = ActionCodec.read(body, opaque, 0);
                if (apply != null) {
                    opaque.note("two apply_actions instructions");
                }
                apply = actions;
            } else if (type == GOTO_TABLE) {
                if (length != 8) {
                    throw new OfProtocolException("goto_table: bad length " + length);
                }
                int table = body.readUnsignedByte();
                if (sawGoto) {
                    opaque.note("two goto_table instructions");
                } else if (table > 253) {
                    opaque.note("goto_table:" + table);
                } else {
                    gotoTable = new FlowAction.GotoTable(TableId.of(table));
                }
                sawGoto = true;
            } else {
                opaque.note("instruction type " + type);
            }
        }
        List<FlowAction> actions = new ArrayList<>(apply == null ? List.of() : apply);
        if (gotoTable != null) {
            actions.add(gotoTable);
        }
        return Decoded.of(List.copyOf(actions), opaque);
    }
}
