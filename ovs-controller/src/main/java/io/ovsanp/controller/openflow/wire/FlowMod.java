package io.ovsanp.controller.openflow.wire;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * OFPT_FLOW_MOD (OpenFlow 1.3 §7.3.4.1). buffer_id is always OFP_NO_BUFFER and out_port/out_group
 * ANY. An empty {@code table} means OFPTT_ALL, which OVS accepts for DELETE and DELETE_STRICT only.
 * {@code rawMatch}, when present, is written instead of {@code match} (which must then be ANY): the
 * OXM TLVs of a dumped flow the flow model cannot express, so such a flow can still be deleted.
 */
public record FlowMod(
        long xid,
        Command command,
        Optional<TableId> table,
        Priority priority,
        Cookie cookie,
        long cookieMask,
        Match match,
        Optional<Bytes> rawMatch,
        List<FlowAction> actions,
        int idleTimeout,
        int hardTimeout,
        int flags)
        implements OfMessage {

    /** OFPFF_SEND_FLOW_REM, OFPFF_CHECK_OVERLAP, OFPFF_RESET_COUNTS, OFPFF_NO_PKT_COUNTS, OFPFF_NO_BYT_COUNTS. */
    public static final int SEND_FLOW_REM = 1;

    public static final int CHECK_OVERLAP = 2;
    public static final int RESET_COUNTS = 4;
    public static final int NO_PKT_COUNTS = 8;
    public static final int NO_BYT_COUNTS = 16;

    /** OFP_DEFAULT_PRIORITY; what ovs-ofctl puts in a non-strict delete, which ignores it. */
    static final int DEFAULT_PRIORITY = 0x8000;

    public enum Command {
        ADD,
        MODIFY,
        MODIFY_STRICT,
        DELETE,
        DELETE_STRICT;

        /** The wire code: declaration order ({@code ofp_flow_mod_command}). */
        public int code() {
            return ordinal();
        }

        boolean isDelete() {
            return this == DELETE || this == DELETE_STRICT;
        }
    }

    public FlowMod {
        Wire.checkXid(xid);
        Objects.requireNonNull(command);
        Objects.requireNonNull(table);
        Objects.requireNonNull(priority);
        Objects.requireNonNull(cookie);
        Objects.requireNonNull(match);
        Objects.requireNonNull(rawMatch);
        actions = List.copyOf(actions);
        Wire.checkU16(idleTimeout, "idle_timeout");
        Wire.checkU16(hardTimeout, "hard_timeout");
        Wire.checkU16(flags, "flags");
        if (table.isEmpty() && !command.isDelete()) {
            throw new IllegalArgumentException("table ALL is only for DELETE and DELETE_STRICT: " + command);
        }
        if (rawMatch.isPresent() && !match.equals(Match.ANY)) {
            throw new IllegalArgumentException("a raw match replaces the match; leave the match ANY");
        }
        if (command.isDelete() && !actions.isEmpty()) {
            throw new IllegalArgumentException("a delete carries no actions");
        }
    }

    /** ADD: installs {@code flow}, replacing a flow with the same key (cookie and counters included). */
    public static FlowMod add(long xid, Flow flow) {
        return of(xid, Command.ADD, flow);
    }

    /**
     * MODIFY_STRICT: replaces the actions of the flow with {@code flow}'s key. cookie_mask is 0, so
     * the installed cookie is neither checked nor changed (OpenFlow 1.3 §6.4; re-ADD to change it).
     */
    public static FlowMod modifyStrict(long xid, Flow flow) {
        return of(xid, Command.MODIFY_STRICT, flow);
    }

    /** DELETE_STRICT of exactly the flow with this key, whatever its cookie. */
    public static FlowMod deleteStrict(long xid, Flow.FlowKey key) {
        return new FlowMod(
                xid,
                Command.DELETE_STRICT,
                Optional.of(key.table()),
                key.priority(),
                new Cookie(0),
                0,
                key.match(),
                Optional.empty(),
                List.of(),
                0,
                0,
                0);
    }

    /** DELETE_STRICT of a dumped flow, by its raw match: works for flows the model cannot express. */
    public static FlowMod deleteStrict(long xid, DumpedFlow dumped) {
        if (dumped.tableId() > 253) {
            throw new IllegalArgumentException("cannot address table " + dumped.tableId());
        }
        return new FlowMod(
                xid,
                Command.DELETE_STRICT,
                Optional.of(TableId.of(dumped.tableId())),
                dumped.priority(),
                dumped.cookie(),
                -1L,
                Match.ANY,
                Optional.of(dumped.rawMatch()),
                List.of(),
                0,
                0,
                0);
    }

    /** Non-strict DELETE of every flow in {@code table} (empty: all tables) whose cookie matches under the mask. */
    public static FlowMod deleteByCookie(long xid, Optional<TableId> table, Cookie cookie, long cookieMask) {
        return new FlowMod(
                xid,
                Command.DELETE,
                table,
                Priority.of(DEFAULT_PRIORITY),
                cookie,
                cookieMask,
                Match.ANY,
                Optional.empty(),
                List.of(),
                0,
                0,
                0);
    }

    private static FlowMod of(long xid, Command command, Flow flow) {
        return new FlowMod(
                xid,
                command,
                Optional.of(flow.table()),
                flow.priority(),
                flow.cookie(),
                0,
                flow.match(),
                Optional.empty(),
                flow.actions(),
                0,
                0,
                0);
    }

    /** The flow this ADD or MODIFY installs; empty for deletes, raw matches and invalid flows. */
    public Optional<Flow> flow() {
        if (command.isDelete() || rawMatch.isPresent() || table.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Flow(table.get(), priority, cookie, match, actions));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
