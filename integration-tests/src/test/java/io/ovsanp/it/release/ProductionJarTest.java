package io.ovsanp.it.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The agent's jar (the one the release and the image ship) holds no development API server: not
 * fabric8's mock, its web server (Vert.x web, event-bus bridge), BouncyCastle (the mock's certificates)
 * or OkHttp's mockwebserver. Vert.x core and its web client stay: they are fabric8's HTTP client.
 */
class ProductionJarTest {
    private static final List<String> FORBIDDEN = List.of(
            "io/fabric8/kubernetes/client/server/mock/",
            "io/fabric8/mockwebserver/",
            "okhttp3/mockwebserver/",
            "mockwebserver3/",
            "org/bouncycastle/",
            "io/vertx/ext/web/Router",
            "io/vertx/ext/web/handler/",
            "io/vertx/eventbusbridge/",
            "io/ovsanp/devapiserver/",
            "io/ovsanp/controller/kube/DevApiServer");

    static List<String> entries(Path jar) throws IOException {
        assertThat(jar).as("built by `./mvnw package`").isRegularFile();
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void theAgentJarHasNoMockServerClasses() throws IOException {
        List<String> entries = entries(Release.agentJar());
        assertThat(entries).contains("io/ovsanp/controller/cli/Main.class", "io/vertx/core/Vertx.class");
        assertThat(entries)
                .as("classes of the development API server in the agent's jar")
                .noneMatch(e -> FORBIDDEN.stream().anyMatch(e::startsWith));
    }

    @Test
    void theDistributionShipsThatJar() throws IOException {
        Path shipped = Release.REPO.resolve("distribution/target/" + Release.distName() + "/lib/ovs-anp.jar");
        assertThat(Files.mismatch(shipped, Release.agentJar())).isEqualTo(-1L);
    }
}
