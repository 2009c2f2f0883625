package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.controller.testing.TestPki;
import io.ovsanp.testkit.Command;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerIdentityTest {
    @TempDir
    Path dir;

    private X509Certificate cert(Path pem) {
        return PemFiles.certificates(pem).get(0);
    }

    @Test
    void aUriSanNamesTheNode() {
        Path ca = TestPki.ca(dir, "t");
        PeerIdentity id = PeerIdentity.of(cert(TestPki.nodeLeaf(dir, ca, "sw", "worker-1")));
        assertThat(id.nodes()).containsExactly("worker-1");
        assertThat(id.node()).contains("worker-1");
        assertThat(id.describe()).isEqualTo("certificate \"CN=sw\" (names node worker-1)");
    }

    @Test
    void aCommonNameWithThePrefixNamesTheNodeAndAPlainOneDoesNot() {
        Path ca = TestPki.ca(dir, "t");
        assertThat(PeerIdentity.of(cert(TestPki.leaf(dir, ca, "a", "/O=lab/CN=ovs-anp-node:cp-1.example")))
                        .nodes())
                .containsExactly("cp-1.example");
        // an ovs-pki switch certificate, or the controller's: a CN that is a node's name is not enough
        assertThat(PeerIdentity.of(cert(TestPki.leaf(dir, ca, "worker-1"))).nodes())
                .isEmpty();
        assertThat(PeerIdentity.of(cert(TestPki.leaf(dir, ca, "b", "/CN=worker-1 id:1234")))
                        .describe())
                .endsWith("(names no node)");
    }

    @Test
    void theDeployScriptsNodeCertificateNamesItsNode() throws Exception {
        Path script = Path.of("..", "deploy", "pki", "ovs-anp-pki.sh")
                .toAbsolutePath()
                .normalize();
        Command.of(script.toString(), "--dir", dir.toString(), "ca").runOrThrow();
        Command.of(script.toString(), "--dir", dir.toString(), "node", "worker-2")
                .runOrThrow();
        PeerIdentity id = PeerIdentity.of(cert(dir.resolve("node-worker-2.pem")));
        assertThat(id.nodes()).containsExactly("worker-2");
        assertThat(id.subject()).isEqualTo("CN=ovs-anp-node:worker-2");
    }

    @Test
    void certificatesNamingSeveralNodesNameThemAll() {
        Path ca = TestPki.ca(dir, "t");
        Path pem = TestPki.leaf(
                dir,
                ca,
                "two",
                "/CN=ovs-anp-node:a",
                "-addext",
                "subjectAltName=URI:ovs-anp-node:b,URI:https://example.com/x,DNS:ovs-anp-node.example");
        PeerIdentity id = PeerIdentity.of(cert(pem));
        assertThat(id.nodes()).containsExactlyInAnyOrder("a", "b");
        assertThat(id.node()).isEqualTo(Optional.empty());
    }

    @Test
    void onlyKubernetesNodeNamesCount() {
        assertThat(PeerIdentity.node("ovs-anp-node:worker-1")).contains("worker-1");
        assertThat(PeerIdentity.node("OVS-ANP-NODE:w1")).contains("w1");
        assertThat(PeerIdentity.node("ovs-anp-node:")).isEmpty();
        assertThat(PeerIdentity.node("ovs-anp-node:Worker")).isEmpty();
        assertThat(PeerIdentity.node("ovs-anp-node:a/b")).isEmpty();
        assertThat(PeerIdentity.node("ovs-anp-node:-a")).isEmpty();
        assertThat(PeerIdentity.node("x-ovs-anp-node:a")).isEmpty();
        assertThat(PeerIdentity.node("ovs-anp-node:" + "a".repeat(254))).isEmpty();
    }
}
