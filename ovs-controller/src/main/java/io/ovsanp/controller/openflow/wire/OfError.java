package io.ovsanp.controller.openflow.wire;

/**
 * An error type and code as they travel in {@code ofp_error_msg} (OpenFlow 1.3 §7.4.4). Standard
 * errors have {@code experimenter == 0}. Experimenter errors have type 0xffff, the experimenter's
 * {@code exp_type} in {@link #code()} and its id in {@link #experimenter()}: Nicira errors in OF1.2+
 * carry only an exp_type (e.g. 15 for NXBAC_BAD_CONJUNCTION), ONF bundle errors use exp_type 2300 +
 * the OF1.4 bundle-failed code (docs/ovs-notes.md §2.5).
 */
public record OfError(int type, int code, long experimenter) {
    public static final int EXPERIMENTER_TYPE = 0xffff;

    /** OFPBFC_MSG_FAILED: a bundle commit failed; the failing inner message's error came first. */
    public static final OfError BUNDLE_MSG_FAILED = onf(2313);

    /** NXBAC_BAD_CONJUNCTION: conjunction not alone in its flow, or k/n out of range. */
    public static final OfError BAD_CONJUNCTION = nicira(15);

    /**
     * OFPBRC_IS_SLAVE of OpenFlow 1.3 (OVS 3.1 spells it OFPBRC_IS_SECONDARY): a flow-mod or bundle
     * message from a connection whose role is SLAVE.
     */
    public static final OfError IS_SECONDARY = standard(1, 10);

    /** OFPRRFC_STALE: a role request whose generation_id is behind one the switch has seen. */
    public static final OfError ROLE_STALE = standard(11, 0);

    /**
     * NXR_STALE: an NXT_RESUME whose continuation names a bridge the switch no longer has
     * (docs/ovs-notes.md §2.7).
     */
    public static final OfError RESUME_STALE = nicira(35);

    public OfError {
        Wire.checkU16(type, "error type");
        Wire.checkU16(code, "error code");
        Wire.checkU32(experimenter, "experimenter");
        if ((type == EXPERIMENTER_TYPE) != (experimenter != 0)) {
            throw new IllegalArgumentException("experimenter id goes with type 0xffff only");
        }
    }

    public static OfError standard(int type, int code) {
        return new OfError(type, code, 0);
    }

    public static OfError nicira(int expType) {
        return new OfError(EXPERIMENTER_TYPE, expType, Wire.NICIRA);
    }

    public static OfError onf(int expType) {
        return new OfError(EXPERIMENTER_TYPE, expType, Wire.ONF);
    }

    public boolean isExperimenter() {
        return type == EXPERIMENTER_TYPE;
    }

    /** The name {@code ovs-ofctl} prints, e.g. {@code OFPBAC_BAD_TYPE}, or a numeric description. */
    public String name() {
        return ErrorNames.name(this);
    }

    @Override
    public String toString() {
        return name();
    }
}
