package io.ovsanp.compiler.compile;

import static io.ovsanp.compiler.compile.CompilerTest.pod;
import static io.ovsanp.compiler.compile.CompilerTest.rule;
import static io.ovsanp.compiler.compile.CompilerTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.diag.ObjectRef;
import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.policy.Action;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.Peer;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.PortMatch;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.compiler.policy.Subject;
import io.ovsanp.compiler.policy.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditCopyTest {
    private static final FlowAction.Controller COPY = new FlowAction.Controller(128, 7);

    private static AdminPolicy anp(String name, int priority, Action action, String cidr, boolean audited) {
        return new AdminPolicy(
                new ObjectRef(Tier.ADMIN.kind(), "", name, "uid-" + name, SourceRef.NONE),
                Tier.ADMIN,
                priority,
                Subject.ALL,
                List.of(rule(
                        0,
                        action,
                        List.of(new Peer.Networks(List.of(cidr))),
                        List.of(new PortMatch.Number(Protocol.UDP, 53)))),
                List.of(),
                List.of(),
                audited);
    }

    private static List<Flow> admin(ClusterSnapshot s, AuditCopy audit) {
        CompileOptions options = CompileOptions.DEFAULT.withAudit(audit);
        CompileResult r = Compiler.compile(s, PolicyValidator.validate(s), "n1", Allocation.EMPTY, options);
        return r.flows().table(PipelineSpec.standalone().id(PipelineSpec.ADMIN_EGRESS)).stream()
                .filter(f -> f.cookie().ruleId() != 0)
                .toList();
    }

    private static ClusterSnapshot cluster() {
        return snapshot(
                List.of(pod("a", "web", "n1", "10.244.0.1")),
                List.of(
                        anp("logged", 1, Action.DENY, "203.0.113.0/24", true),
                        anp("quiet", 2, Action.DENY, "198.51.100.0/24", false),
                        anp("allowed", 3, Action.ALLOW, "192.0.2.0/24", true)));
    }

    private static Flow ruleFlow(List<Flow> flows, String cidrPrefix) {
        return flows.stream()
                .filter(f -> OfctlRenderer.render(f).contains(cidrPrefix))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void onlyOptedInPoliciesCopyAndTheVerdictStays() {
        List<Flow> flows = admin(cluster(), AuditCopy.on(false, 7));
        assertThat(ruleFlow(flows, "203.0.113.0").actions()).containsExactly(COPY);
        assertThat(ruleFlow(flows, "198.51.100.0").actions()).isEmpty();
        Flow allow = ruleFlow(flows, "192.0.2.0");
        assertThat(allow.actions()).hasSize(2).first().isEqualTo(COPY);
        assertThat(allow.actions().get(1)).isInstanceOf(FlowAction.GotoTable.class);
    }

    @Test
    void allCopiesEveryAdminRuleAndOffCopiesNone() {
        assertThat(ruleFlow(admin(cluster(), AuditCopy.on(true, 7)), "198.51.100.0")
                        .actions())
                .containsExactly(COPY);
        assertThat(admin(cluster(), AuditCopy.OFF))
                .allSatisfy(f -> assertThat(f.actions()).noneMatch(FlowAction.Controller.class::isInstance));
    }

    @Test
    void textFormRoundTripsAsOvsPrintsIt() {
        Flow f = ruleFlow(admin(cluster(), AuditCopy.on(false, 7)), "192.0.2.0");
        String text = OfctlRenderer.render(f);
        assertThat(text).contains("actions=controller(max_len=128,meter_id=7),goto_table:6");
        assertThat(OfctlParser.parseFlow(text)).isEqualTo(f);
    }

    @Test
    void meterIdsOutsideTheRealRangeAreRefused() {
        assertThatThrownBy(() -> AuditCopy.on(false, 0)).hasMessageContaining("meter_id");
        assertThatThrownBy(() -> AuditCopy.on(false, 0xffff_fffdL)).hasMessageContaining("meter_id");
    }
}
