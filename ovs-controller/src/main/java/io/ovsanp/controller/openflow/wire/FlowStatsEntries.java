package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.flow.Priority;
import io.ovsanp.compiler.flow.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one {@code ofp_flow_stats} entry (OpenFlow 1.3 §7.3.5.2: length, table, durations,
 * priority, timeouts, flags, cookie, counters, match, instructions) into a {@link DumpedFlow}.
 */
final class FlowStatsEntries {
    /** Bytes before the match. */
    static final int FIXED = 48;

    private FlowStatsEntries() {}

    static DumpedFlow read(ByteBuf in) {
        int length = Wire.u16(in, "flow stats length");
        if (length < FIXED) {
            throw new OfProtocolException("flow stats entry of " + length + " bytes");
        }
        ByteBuf entry = Wire.slice(in, length - 2, "flow stats entry");
        int table = entry.readUnsignedByte();
        entry.skipBytes(1);
        long durationSec = entry.readUnsignedInt();
        long durationNsec = entry.readUnsignedInt();
        int priority = entry.readUnsignedShort();
        int idle = entry.readUnsignedShort();
        int hard = entry.readUnsignedShort();
        int flags = entry.readUnsignedShort();
        entry.skipBytes(4);
        long cookie = entry.readLong();
        long packets = entry.readLong();
        long bytes = entry.readLong();
        FlowCodec.MatchRead match = FlowCodec.readMatch(entry);
        FlowCodec.Decoded<List<FlowAction>> actions = FlowCodec.readInstructions(entry);

        List<String> reasons = new ArrayList<>();
        if (table > 253) {
            reasons.add("table " + table);
        }
        if (!match.match().opaqueReason().isEmpty()) {
            reasons.add(match.match().opaqueReason());
        }
        if (!actions.opaqueReason().isEmpty()) {
            reasons.add(actions.opaqueReason());
        }
        Optional<Flow> forwarding = Optional.empty();
        if (reasons.isEmpty()) {
            try {
                forwarding = Optional.of(new Flow(
                        TableId.of(table),
                        Priority.of(priority),
                        new Cookie(cookie),
                        match.match().value().orElse(Match.ANY),
                        actions.value().orElse(List.of())));
            } catch (IllegalArgumentException e) {
                reasons.add(e.getMessage());
            }
        }
        // Not what FlowMod.add installs, though it forwards as read: the reconciler replaces it.
        if (idle != 0 || hard != 0) {
            reasons.add("idle_timeout=" + idle + ",hard_timeout=" + hard);
        }
        if (flags != 0) {
            reasons.add("flags=0x" + Integer.toHexString(flags));
        }
        Optional<Flow> flow = reasons.isEmpty() ? forwarding : Optional.empty();
        return new DumpedFlow(
                table,
                Priority.of(priority),
                new Cookie(cookie),
                idle,
                hard,
                flags,
                durationSec,
                durationNsec,
                packets,
                bytes,
                match.rawOxms(),
                flow,
                String.join("; ", reasons),
                forwarding);
    }
}
