package io.ovsanp.controller.openflow.wire;

import java.util.Objects;

/**
 * OFPT_ROLE_REQUEST (24) or OFPT_ROLE_REPLY (25), OpenFlow 1.3 §7.3.9: {@code role u32, pad 4,
 * generation_id u64}. With several controllers on one switch, the MASTER is the only one whose
 * flow-mods and bundles OVS accepts; a SLAVE's draw OFPBRC_IS_SLAVE (OVS 3.1 prints role=primary/secondary and
 * OFPBRC_IS_SECONDARY). OVS keeps the largest
 * generation_id any MASTER or SLAVE request carried and refuses a smaller one (compared as a signed
 * 64-bit distance) with OFPRRFC_STALE, which is what fences a deposed leader (docs/decisions.md, "High
 * availability"). {@code generationId} is the unsigned 64-bit value in a long.
 */
public record RoleMessage(long xid, boolean reply, Role role, long generationId) implements OfMessage {
    /** {@code ofp_controller_role}: the wire code is the declaration order. */
    public enum Role {
        NOCHANGE,
        EQUAL,
        MASTER,
        SLAVE;

        public int code() {
            return ordinal();
        }

        static Role of(long code) {
            Role[] all = values();
            if (code < 0 || code >= all.length) {
                throw new OfProtocolException("unknown controller role " + code);
            }
            return all[(int) code];
        }
    }

    public RoleMessage {
        Wire.checkXid(xid);
        Objects.requireNonNull(role);
    }

    /** A request for {@code role} with {@code generationId}. */
    public static RoleMessage request(long xid, Role role, long generationId) {
        return new RoleMessage(xid, false, role, generationId);
    }
}
