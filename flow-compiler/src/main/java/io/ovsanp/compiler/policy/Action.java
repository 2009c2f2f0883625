package io.ovsanp.compiler.policy;

/**
 * Rule actions. ANP: Allow, Deny, Pass. BANP: Allow, Deny. ClusterNetworkPolicy: Accept (Allow), Deny,
 * Pass, in both tiers. NetworkPolicy rules are Allow.
 */
public enum Action {
    ALLOW("Allow"),
    DENY("Deny"),
    PASS("Pass");

    private final String apiName;

    Action(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** The name in {@code policy}'s API: a v1alpha2 ClusterNetworkPolicy calls Allow "Accept". */
    public String apiName(io.ovsanp.compiler.diag.ObjectRef policy) {
        return this == ALLOW && AdminPolicy.isClusterNetworkPolicy(policy) ? "Accept" : apiName;
    }

    public static java.util.Optional<Action> fromApi(String s) {
        for (Action a : values()) {
            if (a.apiName.equals(s)) {
                return java.util.Optional.of(a);
            }
        }
        return java.util.Optional.empty();
    }
}
