package io.ovsanp.compiler.net;

/**
 * A 16-bit transport port match {@code tp_dst=value/mask}: a port matches when {@code (port & mask)
 * == value} (OpenFlow 1.3 §7.2.3.7, maskable {@code TCP_DST}/{@code UDP_DST}/{@code SCTP_DST}).
 * Invariant: {@code value} has no bit outside {@code mask}, as OVS requires of a masked match.
 *
 * @param value the port bits that must match
 * @param mask the bits that are compared; {@code 0xffff} is an exact port, {@code 0} any port
 */
public record PortMask(int value, int mask) {

    public PortMask {
        if (value < 0 || value > 0xffff || mask < 0 || mask > 0xffff) {
            throw new IllegalArgumentException("port value/mask must be 16-bit: " + value + "/" + mask);
        }
        if ((value & ~mask) != 0) {
            throw new IllegalArgumentException("port value 0x" + Integer.toHexString(value)
                    + " has bits outside mask 0x" + Integer.toHexString(mask));
        }
    }

    /** The match for exactly {@code port}. */
    public static PortMask exact(int port) {
        return new PortMask(port, 0xffff);
    }

    public boolean isExact() {
        return mask == 0xffff;
    }

    public boolean matches(int port) {
        return (port & mask) == value;
    }

    /**
     * The match as {@code ovs-ofctl dump-flows} prints it after {@code tp_dst=}: decimal for an
     * exact port ({@code 80}), otherwise lowercase hex value and mask ({@code 0x50/0xfff0}), as
     * OVS's {@code format_be16_masked} does. With mask 0 OVS prints no field at all; callers
     * should omit the match rather than print {@code 0x0/0x0}.
     */
    public String toOfctl() {
        return isExact()
                ? Integer.toString(value)
                : "0x" + Integer.toHexString(value) + "/0x" + Integer.toHexString(mask);
    }

    @Override
    public String toString() {
        return toOfctl();
    }
}
