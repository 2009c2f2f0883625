package io.ovsanp.compiler.flow;

import java.util.List;
import java.util.Optional;

/**
 * The actions (and the goto_table instruction) ovs-anp writes. An empty action list means drop.
 * {@link GotoTable} must be last and point forward (OpenFlow 1.3 §5.1).
 */
public sealed interface FlowAction {

    /** Output to a port; {@link #NORMAL} is the OFPP_NORMAL reserved port. */
    record Output(long port) implements FlowAction {
        public static final long NORMAL_PORT = 0xffff_fffaL;
        public static final Output NORMAL = new Output(NORMAL_PORT);
    }

    /**
     * NXAST_CONTROLLER2 {@code controller(max_len=M,meter_id=N)}: a copy of the packet (its first
     * {@code maxLen} bytes) to the controllers, reason action, through meter {@code meterId}. The
     * meter limits the copies only: the flow's other actions, the verdict, run for every packet
     * whatever the meter drops, and whether or not a controller is connected (docs/decisions.md,
     * "Audit log").
     */
    record Controller(int maxLen, long meterId) implements FlowAction {
        public Controller {
            if (maxLen < 0 || maxLen > 0xffff) {
                throw new IllegalArgumentException("controller max_len out of 16-bit range: " + maxLen);
            }
            // OpenFlow 1.3 meter ids above 0xffff0000 are virtual (slowpath, controller, all).
            if (meterId < 1 || meterId > 0xffff_0000L) {
                throw new IllegalArgumentException("controller meter_id must be 1..4294901760: " + meterId);
            }
        }
    }

    /**
     * NXAST_CONTROLLER2 with the pause property, {@code controller(pause)} or {@code
     * controller(max_len=M,pause)}: the packet stops here and goes to the controllers as an
     * NXT_PACKET_IN2 carrying a continuation; an NXT_RESUME of it runs the rest of this flow's
     * actions and then the tables as they are at resume time, with the registers and conntrack state
     * the packet had (docs/ovs-notes.md §2.7). Only a connection that asked for NXT_PACKET_IN2 gets a
     * continuation; with no such connection the packet is dropped. {@code maxLen} 65535 is OVS's
     * default and prints as plain {@code controller(pause)}; OVS 3.1 sends the whole packet whatever
     * it says (§2.7), so it changes nothing but the flow's text.
     */
    record Pause(int maxLen) implements FlowAction {
        /** The default max_len, "the whole packet", which OVS leaves out of the encoding and the text. */
        public static final int WHOLE_PACKET = 0xffff;

        /** {@code controller(pause)}. */
        public static final Pause WHOLE = new Pause(WHOLE_PACKET);

        public Pause {
            if (maxLen < 0 || maxLen > 0xffff) {
                throw new IllegalArgumentException("pause max_len out of 16-bit range: " + maxLen);
            }
        }
    }

    /** OpenFlow 1.3 goto_table instruction. */
    record GotoTable(TableId table) implements FlowAction {}

    /** NXAST_RESUBMIT_TABLE with in_port unchanged: {@code resubmit(,N)}. */
    record Resubmit(TableId table) implements FlowAction {}

    /** NXAST_CONJUNCTION: clause is 1-based as in ofctl text (0-based on the wire). */
    record Conjunction(ConjId id, int clause, int nClauses) implements FlowAction {
        public Conjunction {
            if (nClauses < 2 || nClauses > 64 || clause < 1 || clause > nClauses) {
                throw new IllegalArgumentException("bad conjunction " + clause + "/" + nClauses);
            }
        }
    }

    /**
     * NXAST_CT: {@code ct(commit?, zone=Z, table=T?, exec(nested))}. Nested actions need commit.
     */
    record Ct(boolean commit, int zone, Optional<TableId> table, List<FlowAction> nested) implements FlowAction {
        public Ct {
            nested = List.copyOf(nested);
            if (zone < 0 || zone > 0xffff) {
                throw new IllegalArgumentException("ct zone out of range: " + zone);
            }
            if (!nested.isEmpty() && !commit) {
                throw new IllegalArgumentException("ct exec(...) needs commit");
            }
            for (FlowAction a : nested) {
                if (!(a instanceof SetField s && s.field() == Field.CT_MARK)) {
                    // ovs-ofctl: "ct action doesn't support nested modification of reg0"
                    throw new IllegalArgumentException("ct exec(...) may only set ct_mark: " + a);
                }
            }
        }
    }

    /**
     * Full-width load, rendered {@code set_field:V->regN}: a register, or {@code ct_mark} inside
     * {@link Ct#nested()} only (OVS refuses CT fields outside a ct action).
     */
    record SetField(Field field, long value) implements FlowAction {
        public SetField {
            if (field != Field.CT_MARK && !field.name().startsWith("REG")) {
                throw new IllegalArgumentException("set_field supports reg0..reg7 and ct_mark: " + field);
            }
            if (value < 0 || value > 0xffff_ffffL) {
                throw new IllegalArgumentException(field + " value out of 32-bit range: " + value);
            }
        }
    }
}
