package io.ovsanp.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/pki/cert-manager.yaml (no cert-manager here, so its fields are checked as data): it issues the
 * Secret the central StatefulSet mounts, from a namespaced CA of ovs-anp's own, and a node certificate
 * that names the node the way the controller reads it.
 */
class CertManagerExampleTest {
    private static List<JsonNode> documents() throws Exception {
        Path file = Manifests.directory().resolve("pki").resolve("cert-manager.yaml");
        try (MappingIterator<JsonNode> docs =
                new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
            return new ArrayList<>(docs.readAll());
        }
    }

    private static List<JsonNode> certificates(List<JsonNode> docs) {
        return docs.stream()
                .filter(d -> d.path("kind").asString().equals("Certificate"))
                .toList();
    }

    @Test
    void theControllerCertificateLandsInTheSecretTheStatefulSetMounts() throws Exception {
        StatefulSet d = ManifestsTest.only(Manifests.load(Manifests.CENTRAL), StatefulSet.class);
        String secret = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null)
                .findFirst()
                .orElseThrow()
                .getSecret()
                .getSecretName();
        List<JsonNode> docs = documents();
        JsonNode controller = certificates(docs).stream()
                .filter(c -> c.path("spec").path("secretName").asString().equals(secret))
                .findFirst()
                .orElseThrow();
        assertThat(controller.path("metadata").path("namespace").asString())
                .isEqualTo(d.getMetadata().getNamespace());
        assertThat(controller.path("spec").path("privateKey").path("encoding").asString())
                .as("ovs-anp reads PKCS#8 EC keys, not SEC1")
                .isEqualTo("PKCS8");
        // signed by a CA issuer (which writes ca.crt) in the same namespace, not by a ClusterIssuer
        String issuer = controller.path("spec").path("issuerRef").path("name").asString();
        assertThat(controller.path("spec").path("issuerRef").path("kind").asString())
                .isEqualTo("Issuer");
        assertThat(docs)
                .filteredOn(x -> x.path("kind").asString().equals("Issuer")
                        && x.path("metadata").path("name").asString().equals(issuer))
                .singleElement()
                .satisfies(x -> assertThat(x.path("spec").has("ca")).isTrue());
        assertThat(docs).noneMatch(x -> x.path("kind").asString().equals("ClusterIssuer"));
    }

    @Test
    void aNodeCertificateNamesItsNodeAsUriSanAndCommonName() throws Exception {
        JsonNode node = certificates(documents()).stream()
                .filter(c -> c.path("spec").has("uris"))
                .findFirst()
                .orElseThrow();
        JsonNode spec = node.path("spec");
        String name = spec.path("secretName").asString().replaceFirst("^ovs-anp-node-", "");
        assertThat(name).isNotEmpty().isNotEqualTo(spec.path("secretName").asString());
        assertThat(spec.path("uris").values()).extracting(JsonNode::asString).containsExactly("ovs-anp-node:" + name);
        assertThat(spec.path("commonName").asString()).isEqualTo("ovs-anp-node:" + name);
        assertThat(spec.path("usages").values()).extracting(JsonNode::asString).contains("client auth");
        assertThat(spec.path("privateKey").path("encoding").asString()).isEqualTo("PKCS8");
        assertThat(spec.path("isCA").asBoolean(false)).isFalse();
    }
}
