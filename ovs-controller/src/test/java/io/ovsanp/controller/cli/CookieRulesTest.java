package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import io.ovsanp.compiler.policy.RuleRef;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A compiled flow's cookie leads back to the rule that compiled it, through the compile's allocation. */
class CookieRulesTest {
    @Test
    void eachRuleFlowOfAnExampleNamesItsRuleAndRuleLessFlowsSayWhatTheyAre() throws Exception {
        Compilation c = Compilation.of(
                SnapshotLoader.load(List.of(CliRun.repo().resolve("examples/internet-blocked-intranet-allowed"))));
        CompileResult r = c.compile("worker-1", Allocation.EMPTY, CompileOptions.DEFAULT);
        CookieRules rules = CookieRules.of(c.policies(), r.allocation());
        List<Flow> adminEgress = r.flows().table(PipelineSpec.standalone().id(PipelineSpec.ADMIN_EGRESS)).stream()
                .filter(f -> f.cookie().ruleId() != 0)
                .toList();
        assertThat(adminEgress).isNotEmpty();
        for (Flow f : adminEgress) {
            Optional<RuleRef> ref = rules.ref(f.cookie().value());
            assertThat(ref).as("rule of %s", f).isPresent();
            // the deny rule's flows drop (no actions), the allow rule's jump on
            assertThat(ref.get().name()).isEqualTo(f.actions().isEmpty() ? "deny-internet" : "allow-intranet");
            assertThat(ref.get().policy().name()).isEqualTo("intranet-only");
        }
        Cookie pipeline = Cookie.of(1, Cookie.Category.PIPELINE, 0);
        assertThat(rules.ref(pipeline.value())).isEmpty();
        assertThat(CookieRules.describe(pipeline.value())).isEqualTo("pipeline");
        assertThat(CookieRules.describe(
                        Cookie.of(1, Cookie.Category.MEGAFLOW_GUARD, 0).value()))
                .isEqualTo("megaflow guard");
        assertThat(CookieRules.describe(
                        Cookie.of(1, Cookie.Category.NETWORK_POLICY, 0).value()))
                .isEqualTo("isolation or overflow drop");
        long unknown = Cookie.of(1, Cookie.Category.ADMIN, 999).value();
        assertThat(rules.ref(unknown)).isEmpty();
        assertThat(CookieRules.describe(unknown)).isEqualTo("rule id 999, not a rule of the snapshot");
        // another owner's flow (a CNI's) with the same low bits is never taken for ours
        long foreign = adminEgress.get(0).cookie().value() & ~Cookie.OWNER_MASK;
        assertThat(rules.ref(foreign)).isEmpty();
        assertThat(CookieRules.describe(foreign)).startsWith("not ovs-anp's flow");
    }
}
