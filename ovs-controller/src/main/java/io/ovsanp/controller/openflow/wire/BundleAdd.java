package io.ovsanp.controller.openflow.wire;

import java.util.Objects;

/**
 * ONF bundle add over OpenFlow 1.3: EXPERIMENTER, exp 0x4F4E4600, exp_type 2301, {@code bundle_id
 * u32, pad u16, flags u16}, then a complete inner message. OVS requires the inner xid to equal the
 * outer one (else OFPBFC_MSG_BAD_XID), so the record enforces it; flags must equal the OPEN's.
 */
public record BundleAdd(long xid, long bundleId, int flags, OfMessage message) implements OfMessage {
    public BundleAdd {
        Wire.checkXid(xid);
        Wire.checkU32(bundleId, "bundle id");
        Wire.checkU16(flags, "bundle flags");
        Objects.requireNonNull(message);
        if (message.xid() != xid) {
            throw new IllegalArgumentException("inner xid " + message.xid() + " differs from bundle add xid " + xid);
        }
    }
}
