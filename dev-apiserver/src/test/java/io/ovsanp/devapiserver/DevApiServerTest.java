package io.ovsanp.devapiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.controller.kube.ClusterWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevApiServerTest {
    private static Path example(String file) {
        Path p = Path.of("..", "examples", "node-ports-blocked", file);
        assertThat(Files.exists(p)).as(p.toString()).isTrue();
        return p;
    }

    @Test
    void aSeededDevApiServerServesTheExampleClusterToTheWatcher() throws Exception {
        KubernetesMockServer server = DevApiServer.start(0, List.of(example("cluster.yaml"), example("policy.yaml")));
        try (KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(new ConfigBuilder()
                                .withMasterUrl(DevApiServer.url(server))
                                .build())
                        .build();
                ClusterWatcher w = ClusterWatcher.start(client)) {
            w.awaitSynced(Duration.ofSeconds(10));
            ClusterSnapshot s = w.snapshot();
            assertThat(s.nodes()).hasSize(3);
            assertThat(s.nodes()).allSatisfy(n -> assertThat(n.addresses()).isNotEmpty());
            assertThat(s.nodes().stream().map(NodeInfo::name)).doesNotHaveDuplicates();
            assertThat(s.adminPolicies())
                    .anySatisfy(p -> assertThat(p.ref().name()).isEqualTo("protect-nodes"));
        } finally {
            DevApiServer.stop(server);
        }
    }
}
