package io.ovsanp.compiler.eval;

import static io.ovsanp.compiler.eval.Fixture.EXTERNAL;
import static io.ovsanp.compiler.eval.Fixture.WEB;
import static io.ovsanp.compiler.eval.Fixture.evaluate;
import static io.ovsanp.compiler.testing.TestClusters.anp;
import static io.ovsanp.compiler.testing.TestClusters.policies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.compiler.policy.Tier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private static final RuleRef REF = new RuleRef(Tier.ADMIN, ObjectRef.cluster("AdminNetworkPolicy", "x"), 0, "");

    @Test
    void explainListsTheStepsTaken() {
        var ps = policies()
                .admin(anp("a", 1).allow("dns", r -> r.udp(53)).deny("internet", r -> r.toNetworks("0.0.0.0/0")));

        Verdict v = evaluate(ps, Packet.tcp(WEB, EXTERNAL, 80));

        assertThat(v.explain())
                .isEqualTo(String.join(
                        "\n  ",
                        "DENY by AdminNetworkPolicy/a egress[1] \"internet\" (Deny)",
                        "packet 10.0.1.1 -> 203.0.113.7 tcp/80",
                        "source is pod prod/web",
                        "AdminNetworkPolicy/a egress[0] \"dns\" (Allow): port does not match",
                        "AdminNetworkPolicy/a egress[1] \"internet\" (Deny): matches"));
    }

    @Test
    void aPassNeverDecides() {
        assertThatThrownBy(() -> new Verdict(
                        true,
                        Optional.of(Tier.ADMIN),
                        Optional.of(REF),
                        Optional.of(Action.PASS),
                        false,
                        "r",
                        List.of(),
                        Optional.empty(),
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void allowedMustAgreeWithTheDecidingAction() {
        assertThatThrownBy(() -> new Verdict(
                        true,
                        Optional.of(Tier.ADMIN),
                        Optional.of(REF),
                        Optional.of(Action.DENY),
                        false,
                        "r",
                        List.of(),
                        Optional.empty(),
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
