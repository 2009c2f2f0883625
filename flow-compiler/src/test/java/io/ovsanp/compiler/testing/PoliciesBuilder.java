package io.ovsanp.compiler.testing;

import io.ovsanp.compiler.policy.EffectiveAdminPolicy;
import io.ovsanp.compiler.policy.EffectiveNetworkPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds {@link EffectivePolicies}. ANPs are put in precedence order (priority, then name, then UID;
 * the sort is stable, so equal keys keep insertion order), as the validator does; BANPs and
 * NetworkPolicies keep insertion order.
 */
public final class PoliciesBuilder {
    private static final Comparator<EffectiveAdminPolicy> PRECEDENCE = Comparator.comparingInt(
                    EffectiveAdminPolicy::priority)
            .thenComparing(p -> p.ref().name())
            .thenComparing(p -> p.ref().uid());

    private final List<EffectiveAdminPolicy> admin = new ArrayList<>();
    private final List<EffectiveNetworkPolicy> networkPolicies = new ArrayList<>();
    private final List<EffectiveAdminPolicy> baseline = new ArrayList<>();

    PoliciesBuilder() {}

    public PoliciesBuilder admin(AdminPolicyBuilder... anps) {
        for (AdminPolicyBuilder b : anps) {
            admin.add(b.build());
        }
        return this;
    }

    public PoliciesBuilder admin(EffectiveAdminPolicy anp) {
        admin.add(anp);
        return this;
    }

    public PoliciesBuilder networkPolicy(NetworkPolicyBuilder... nps) {
        for (NetworkPolicyBuilder b : nps) {
            networkPolicies.add(b.build());
        }
        return this;
    }

    public PoliciesBuilder networkPolicy(EffectiveNetworkPolicy np) {
        networkPolicies.add(np);
        return this;
    }

    public PoliciesBuilder baseline(AdminPolicyBuilder... banps) {
        for (AdminPolicyBuilder b : banps) {
            baseline.add(b.build());
        }
        return this;
    }

    public PoliciesBuilder baseline(EffectiveAdminPolicy banp) {
        baseline.add(banp);
        return this;
    }

    public EffectivePolicies build() {
        List<EffectiveAdminPolicy> sorted = admin.stream().sorted(PRECEDENCE).toList();
        return new EffectivePolicies(sorted, networkPolicies, baseline, List.of());
    }
}
