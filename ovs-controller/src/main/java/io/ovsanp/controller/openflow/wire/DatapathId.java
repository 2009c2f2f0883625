package io.ovsanp.controller.openflow.wire;

/** A switch's 64-bit datapath id (OpenFlow 1.3 §7.3.1, {@code ofp_switch_features}). */
public record DatapathId(long value) {
    /** 16 hex digits, as {@code ovs-ofctl show} prints it. */
    @Override
    public String toString() {
        return String.format("%016x", value);
    }
}
