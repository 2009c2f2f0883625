package io.ovsanp.controller.openflow;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.controller.openflow.wire.FlowMod;
import java.util.List;
import java.util.Optional;

/** Flow-mods OVS refuses, built past the flow model's checks (the model would never emit them). */
final class BadFlows {
    /** How the refused flow-mod of {@link #withoutPrerequisite} reads in the error. */
    static final String WITHOUT_PREREQUISITE_TEXT = "table=3,priority=10,cookie=0xa500000001,nw_dst=192.0.2.1";

    private BadFlows() {}

    /** {@code nw_dst} without {@code ip}: OVS answers OFPBMC_BAD_PREREQ when the ADD arrives. */
    static FlowMod withoutPrerequisite(long xid) {
        return new FlowMod(
                xid,
                FlowMod.Command.ADD,
                Optional.of(TableId.of(3)),
                Priority.of(10),
                new Cookie(0xa500000001L),
                0,
                Match.ANY.with(FieldMatch.exact(Field.IPV4_DST, 0xc0000201L)),
                Optional.empty(),
                List.of(),
                0,
                0,
                0);
    }

    /** {@code flow} with OFPFF_CHECK_OVERLAP: OVS refuses it at commit if it overlaps a flow of its priority. */
    static FlowMod overlapping(long xid, Flow flow) {
        FlowMod m = FlowMod.add(xid, flow);
        return new FlowMod(
                xid,
                m.command(),
                m.table(),
                m.priority(),
                m.cookie(),
                m.cookieMask(),
                m.match(),
                m.rawMatch(),
                m.actions(),
                0,
                0,
                FlowMod.CHECK_OVERLAP);
    }
}
