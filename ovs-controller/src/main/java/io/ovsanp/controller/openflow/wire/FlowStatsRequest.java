package io.ovsanp.controller.openflow.wire;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.TableId;
import java.util.Objects;
import java.util.Optional;

/**
 * OFPMP_FLOW multipart request (OpenFlow 1.3 §7.3.5.2): flows in {@code table} (empty: all
 * tables, 0xff) whose cookie equals {@code cookie} under {@code cookieMask} and that match at least
 * {@code match}; out_port/out_group ANY. The reconciler dumps with {@link Cookie#OWNER_MASK}.
 */
public record FlowStatsRequest(long xid, Optional<TableId> table, Cookie cookie, long cookieMask, Match match)
        implements OfMessage {
    public FlowStatsRequest {
        Wire.checkXid(xid);
        Objects.requireNonNull(table);
        Objects.requireNonNull(cookie);
        Objects.requireNonNull(match);
    }

    /** Every flow of every table whose cookie has ovs-anp's owner tag. */
    public static FlowStatsRequest ours(long xid) {
        return new FlowStatsRequest(
                xid, Optional.empty(), new Cookie((long) Cookie.OWNER_TAG << 32), Cookie.OWNER_MASK, Match.ANY);
    }
}
