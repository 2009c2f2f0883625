package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every NPEP-126 story of {@code examples/} also exists written as v1alpha2 ClusterNetworkPolicy
 * ({@code <story>-cnp}); both forms compile to the same flows on every node, apart from cookies (a
 * CNP's rules are other objects, numbered by other keys). Table, priority, match and actions must be
 * equal, so the v1alpha2 reading of tiers, order, Accept and protocols is exactly the v1alpha1 one.
 */
class ClusterNetworkPolicyExamplesTest {
    private static final String SUFFIX = "-cnp";

    static Stream<Path> cnpExamples() throws IOException {
        return GoldenFilesTest.examples().filter(p -> p.getFileName().toString().endsWith(SUFFIX));
    }

    private record FlowWithoutCookie(String table, int priority, String match, String actions) {
        static FlowWithoutCookie of(Flow f) {
            return new FlowWithoutCookie(
                    f.table().toString(),
                    f.priority().value(),
                    f.match().toString(),
                    f.actions().toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cnpExamples")
    void theClusterNetworkPolicyFormCompilesToTheFlowsOfTheV1alpha1Story(Path cnpExample) throws Exception {
        String story = cnpExample.getFileName().toString();
        Path v1alpha1 = cnpExample.resolveSibling(story.substring(0, story.length() - SUFFIX.length()));
        assertThat(v1alpha1).isDirectory();
        assertThat(GoldenFilesTest.extraArgs(cnpExample)).isEqualTo(GoldenFilesTest.extraArgs(v1alpha1));
        ServiceVips vips = Files.exists(cnpExample.resolve("ovs-anp.args")) ? ServiceVips.PRE_DNAT : ServiceVips.NONE;
        CompileOptions options = CompileOptions.DEFAULT.withServiceVips(vips);

        ClusterSnapshot cnp = SnapshotLoader.load(List.of(cnpExample));
        ClusterSnapshot anp = SnapshotLoader.load(List.of(v1alpha1));
        assertThat(cnp.adminPolicies())
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.isClusterNetworkPolicy()).isTrue());
        assertThat(anp.adminPolicies()).noneMatch(AdminPolicy::isClusterNetworkPolicy);
        EffectivePolicies cnpPolicies = PolicyValidator.validate(cnp);
        EffectivePolicies anpPolicies = PolicyValidator.validate(anp);
        assertThat(cnpPolicies.diagnostics()).noneMatch(d -> d.severity() != Severity.NOTE);

        for (String node : anp.nodeNames()) {
            List<FlowWithoutCookie> want =
                    Compiler.compile(anp, anpPolicies, node, Allocation.EMPTY, options).flows().flows().stream()
                            .map(FlowWithoutCookie::of)
                            .toList();
            List<FlowWithoutCookie> got =
                    Compiler.compile(cnp, cnpPolicies, node, Allocation.EMPTY, options).flows().flows().stream()
                            .map(FlowWithoutCookie::of)
                            .toList();
            assertThat(got).as("%s on %s", story, node).isNotEmpty().containsExactlyInAnyOrderElementsOf(want);
        }
    }
}
