package io.ovsanp.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.policy.EffectivePolicies;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyProblemLogTest {
    private static final ObjectRef ANP = ObjectRef.cluster("AdminNetworkPolicy", "inbound");
    private static final Diagnostic FQDN = Diagnostic.unenforced(
            ANP, "spec.egress[0].to[0]", "unsupported peer (unknown peer field); in an Allow rule it matches nothing");
    private static final Diagnostic BAD_CIDR =
            Diagnostic.error(ANP, "spec.egress[1].to[0].networks[0]", "\"10.0.0.0/33\" is not a CIDR");

    private final List<String> warnings = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();
    private final PolicyProblemLog log = new PolicyProblemLog(warnings::add, infos::add);

    private void validated(Diagnostic... ds) {
        log.validated(
                null, new EffectivePolicies(List.of(), List.of(), List.of(), List.of(ds)), ClusterChange.EVERYTHING);
    }

    @Test
    void eachProblemIsOneWarnUntilItGoesAwayAndAgainWhenItComesBack() {
        validated(FQDN, BAD_CIDR, FQDN);
        assertThat(warnings)
                .containsExactly(
                        "AdminNetworkPolicy/inbound spec.egress[0].to[0] is NOT ENFORCED: unsupported peer"
                                + " (unknown peer field); in an Allow rule it matches nothing",
                        "AdminNetworkPolicy/inbound spec.egress[1].to[0].networks[0] is invalid and realised"
                                + " fail-closed: \"10.0.0.0/33\" is not a CIDR");
        for (int i = 0; i < 10; i++) {
            validated(BAD_CIDR, FQDN); // every pod event revalidates
        }
        assertThat(warnings).hasSize(2);
        assertThat(infos).isEmpty();

        validated(FQDN);
        assertThat(infos).singleElement().asString().startsWith("no longer: AdminNetworkPolicy/inbound spec.egress[1]");
        validated(FQDN, BAD_CIDR);
        assertThat(warnings).hasSize(3).last().asString().contains("10.0.0.0/33");
    }

    @Test
    void plainWarningsAndOtherKindsAreNotPolicyProblems() {
        validated(
                Diagnostic.warning(ANP, "spec.priority", "same priority as AdminNetworkPolicy/other"),
                Diagnostic.error(
                        new ObjectRef("Pod", "shop", "web", "", io.ovsanp.compiler.diag.SourceRef.NONE),
                        "status.podIPs[0]",
                        "not an IP"));
        assertThat(warnings).isEmpty();
    }
}
