package io.ovsanp.compiler.policy;

/** Rule actions. ANP: Allow, Deny, Pass. BANP: Allow, Deny. NetworkPolicy rules are Allow. */
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

    public static java.util.Optional<Action> fromApi(String s) {
        for (Action a : values()) {
            if (a.apiName.equals(s)) {
                return java.util.Optional.of(a);
            }
        }
        return java.util.Optional.empty();
    }
}
