package io.ovsanp.compiler.policy;

/** Evaluation tiers in order: ANP, NetworkPolicy, BANP. */
public enum Tier {
    ADMIN("AdminNetworkPolicy"),
    NETWORK_POLICY("NetworkPolicy"),
    BASELINE("BaselineAdminNetworkPolicy");

    private final String kind;

    Tier(String kind) {
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
