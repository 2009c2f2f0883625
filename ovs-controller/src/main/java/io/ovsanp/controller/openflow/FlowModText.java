package io.ovsanp.controller.openflow;

import io.ovsanp.compiler.flow.TableId;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.controller.openflow.wire.BundleAdd;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.openflow.wire.OfMessage;
import java.util.Locale;
import java.util.Optional;

/** Names flow-mods in {@code ovs-ofctl} text for error messages and logs. */
final class FlowModText {
    private FlowModText() {}

    /** The flow-mod in {@code m}, looking inside a BUNDLE_ADD; empty for other messages. */
    static Optional<FlowMod> flowModIn(OfMessage m) {
        if (m instanceof BundleAdd a) {
            return flowModIn(a.message());
        }
        return m instanceof FlowMod f ? Optional.of(f) : Optional.empty();
    }

    /**
     * {@code table=3,priority=10,cookie=0x..,ip actions=drop} for an ADD (the add-flows line);
     * other commands are prefixed with theirs, e.g. {@code delete_strict table=3,priority=10,ip}.
     */
    static String describe(FlowMod m) {
        if (m.command() == FlowMod.Command.ADD && m.flow().isPresent()) {
            return OfctlRenderer.render(m.flow().get());
        }
        StringBuilder b = new StringBuilder();
        if (m.command() != FlowMod.Command.ADD) {
            b.append(m.command().name().toLowerCase(Locale.ROOT)).append(' ');
        }
        b.append("table=").append(m.table().map(TableId::toString).orElse("all"));
        b.append(",priority=").append(m.priority().value());
        b.append(",cookie=").append(m.cookie().hex());
        if (m.cookieMask() != 0) {
            b.append("/0x").append(Long.toHexString(m.cookieMask()));
        }
        if (m.rawMatch().isPresent()) {
            b.append(",raw_match=").append(m.rawMatch().get().hex());
        } else {
            String match = OfctlRenderer.renderMatch(m.match());
            if (!match.isEmpty()) {
                b.append(',').append(match);
            }
        }
        if (m.flags() != 0) {
            b.append(",flags=0x").append(Integer.toHexString(m.flags()));
        }
        if (!m.actions().isEmpty()) {
            b.append(" actions=").append(OfctlRenderer.renderActions(m.actions()));
        }
        return b.toString();
    }

    /** A copy of {@code m} with {@code xid}: a flow-mod inside a BUNDLE_ADD must carry the ADD's xid. */
    static FlowMod withXid(FlowMod m, long xid) {
        if (m.xid() == xid) {
            return m;
        }
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
                m.idleTimeout(),
                m.hardTimeout(),
                m.flags());
    }
}
