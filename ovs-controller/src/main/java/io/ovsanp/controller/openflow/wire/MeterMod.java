package io.ovsanp.controller.openflow.wire;

import java.util.Objects;

/**
 * OFPT_METER_MOD (29), OpenFlow 1.3 §7.3.4.4, with one drop band in packets per second: {@code
 * command u16, flags u16, meter_id u32}, then {@code ofp_meter_band_drop} ({@code type 1, len 16,
 * rate u32, burst_size u32, pad 4}). Flags are PKTPS and STATS, plus BURST when {@code burst} is
 * non-zero. It is the meter the audit log's packet copies pass (docs/decisions.md, "Audit log").
 */
public record MeterMod(long xid, Command command, long meterId, long rate, long burst) implements OfMessage {
    static final int FLAG_PKTPS = 1 << 1;
    static final int FLAG_BURST = 1 << 2;
    static final int FLAG_STATS = 1 << 3;
    static final int BAND_DROP = 1;

    /** {@code ofp_meter_mod_command}: the wire code is the declaration order. */
    public enum Command {
        ADD,
        MODIFY,
        DELETE;

        int code() {
            return ordinal();
        }

        static Command of(int code) {
            Command[] all = values();
            if (code >= all.length) {
                throw new OfProtocolException("unknown meter_mod command " + code);
            }
            return all[code];
        }
    }

    public MeterMod {
        Wire.checkXid(xid);
        Objects.requireNonNull(command, "command");
        if (meterId < 1 || meterId > 0xffff_0000L) {
            throw new IllegalArgumentException("meter id must be 1..4294901760: " + meterId);
        }
        if (rate < 1) {
            throw new IllegalArgumentException("meter rate must be at least 1 packet per second: " + rate);
        }
        Wire.checkU32(rate, "rate");
        Wire.checkU32(burst, "burst");
    }

    int flags() {
        return FLAG_PKTPS | FLAG_STATS | (burst > 0 ? FLAG_BURST : 0);
    }
}
