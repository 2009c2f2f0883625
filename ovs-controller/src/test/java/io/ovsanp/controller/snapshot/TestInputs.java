package io.ovsanp.controller.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.policy.AdminPolicy;
import io.ovsanp.compiler.policy.NetworkPolicy;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/** Test manifests under {@code src/test/resources/snapshot}. */
final class TestInputs {
    private TestInputs() {}

    static Path path(String name) {
        URL url = TestInputs.class.getResource("/snapshot/" + name);
        assertThat(url).as("test resource %s", name).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ClusterSnapshot load(String... names) throws SnapshotLoadException {
        return SnapshotLoader.load(List.of(names).stream().map(TestInputs::path).toList());
    }

    static AdminPolicy admin(ClusterSnapshot snapshot, String name) {
        return snapshot.adminPolicies().stream()
                .filter(p -> p.ref().name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no admin policy " + name));
    }

    static NetworkPolicy networkPolicy(ClusterSnapshot snapshot, String name) {
        return snapshot.networkPolicies().stream()
                .filter(p -> p.ref().name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no network policy " + name));
    }

    /** {@code SEVERITY path: message} lines, compact enough to compare whole. */
    static List<String> lines(List<Diagnostic> diagnostics) {
        return diagnostics.stream()
                .map(d -> d.severity() + " " + d.path() + ": " + d.message())
                .toList();
    }
}
