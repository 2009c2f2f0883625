package io.ovsanp.controller.openflow.wire;

/**
 * ONF bundle control over OpenFlow 1.3: EXPERIMENTER, experimenter 0x4F4E4600, exp_type 2300,
 * then {@code bundle_id u32, type u16, flags u16} (the body of OF1.4 OFPT_BUNDLE_CONTROL). OVS
 * answers each request with the matching reply, flags 0 (docs/ovs-notes.md §2.5).
 */
public record BundleControl(long xid, long bundleId, Type type, int flags) implements OfMessage {
    public static final int ATOMIC = 1;
    public static final int ORDERED = 2;

    public BundleControl {
        Wire.checkXid(xid);
        Wire.checkU32(bundleId, "bundle id");
        Wire.checkU16(flags, "bundle flags");
    }

    public enum Type {
        OPEN_REQUEST,
        OPEN_REPLY,
        CLOSE_REQUEST,
        CLOSE_REPLY,
        COMMIT_REQUEST,
        COMMIT_REPLY,
        DISCARD_REQUEST,
        DISCARD_REPLY;

        /** The wire code: the declaration order (OF1.4 {@code ofp14_bundle_ctrl_type}). */
        public int code() {
            return ordinal();
        }

        static Type of(int code) {
            Type[] all = values();
            if (code < 0 || code >= all.length) {
                throw new OfProtocolException("unknown bundle control type " + code);
            }
            return all[code];
        }
    }
}
