package io.ovsanp.compiler.flow;

/**
 * A flow cookie. ovs-anp's layout (docs/architecture.md, "Ownership, restart and audit"): bits
 * 63..48 generation, 47..40 category, 39..32 owner tag, 31..0 rule id. The owner tag marks flows as
 * ovs-anp's; the controller dumps and deletes only under {@link #OWNER_MASK}.
 */
public record Cookie(long value) {
    /** 0xa5: "ovs-anp" in the owner byte. */
    public static final int OWNER_TAG = 0xa5;

    public static final long OWNER_MASK = 0xffL << 32;

    public static Cookie of(int generation, Category category, long ruleId) {
        if (generation < 0 || generation > 0xffff) {
            throw new IllegalArgumentException("generation out of range: " + generation);
        }
        if (ruleId < 0 || ruleId > 0xffff_ffffL) {
            throw new IllegalArgumentException("rule id out of range: " + ruleId);
        }
        return new Cookie(((long) generation << 48) | ((long) category.code << 40) | ((long) OWNER_TAG << 32) | ruleId);
    }

    public boolean isOurs() {
        return ((value >>> 32) & 0xff) == OWNER_TAG;
    }

    public int generation() {
        return (int) (value >>> 48);
    }

    /** The category byte (bits 47..40); {@link Category#code} of what the flow is for. */
    public int categoryCode() {
        return (int) (value >>> 40) & 0xff;
    }

    public long ruleId() {
        return value & 0xffff_ffffL;
    }

    public String hex() {
        return "0x" + Long.toHexString(value);
    }

    @Override
    public String toString() {
        return hex();
    }

    /** What a flow is for. */
    public enum Category {
        PIPELINE(1),
        ADMIN(2),
        NETWORK_POLICY(3),
        BASELINE(4),
        /** The megaflow guard of the pipeline ({@code MegaflowGuard}): rotated on every change. */
        MEGAFLOW_GUARD(5);

        public final int code;

        Category(int code) {
            this.code = code;
        }
    }
}
