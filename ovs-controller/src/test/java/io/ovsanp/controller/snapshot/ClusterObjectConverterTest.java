package io.ovsanp.controller.snapshot;

import static io.ovsanp.controller.snapshot.TestInputs.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.NodeInfo;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.net.IpAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterObjectConverterTest {

    private static List<String> diagnosticsOf(ClusterSnapshot s, String name) {
        return lines(s.loadDiagnostics().stream()
                .filter(d -> d.object().name().equals(name))
                .toList());
    }

    @Test
    void podWithoutIpIsSkippedWithANote() throws Exception {
        ClusterSnapshot s = TestInputs.load("objects/pods.yaml");

        assertThat(s.pod("app", "pending")).isEmpty();
        assertThat(diagnosticsOf(s, "pending")).containsExactly("NOTE status.podIPs: no pod IP: not running, ignored");
    }

    @Test
    void podThatHasFinishedIsSkippedWithANoteEvenWithAnIp() throws Exception {
        ClusterSnapshot s = TestInputs.load("objects/pods.yaml");

        assertThat(s.pod("app", "done")).isEmpty();
        assertThat(diagnosticsOf(s, "done")).containsExactly("NOTE status.phase: phase Failed: not running, ignored");
    }

    @Test
    void hostNetworkPodIsKeptWithItsFlag() throws Exception {
        ClusterSnapshot s = TestInputs.load("objects/pods.yaml");

        assertThat(s.pod("kube-system", "kube-proxy-w1"))
                .contains(new PodInfo(
                        "kube-system",
                        "kube-proxy-w1",
                        "w1",
                        true,
                        List.of(IpAddress.parse("172.18.0.3")),
                        Map.of(),
                        List.of()));
    }

    @Test
    void podIpThatIsNotAStrictIpIsAnErrorAndLeftOut() throws Exception {
        ClusterSnapshot s = TestInputs.load("objects/pods.yaml");

        assertThat(s.pod("app", "bad-ip").orElseThrow().ips()).containsExactly(IpAddress.parse("10.244.0.11"));
        assertThat(diagnosticsOf(s, "bad-ip"))
                .containsExactly("ERROR status.podIPs[0].ip: not an IP address: \"10.244.0.010\", ignored");
    }

    @Test
    void nodeAddressesThatAreNotIpsAreIgnored() throws Exception {
        ClusterSnapshot s = TestInputs.load("objects/node.yaml");

        assertThat(s.nodes())
                .containsExactly(new NodeInfo(
                        "w2", Map.of(), List.of(IpAddress.parse("172.18.0.4"), IpAddress.parse("203.0.113.4"))));
        // Hostname and InternalDNS entries are names by definition; an ExternalIP that is a name is noted.
        assertThat(s.loadDiagnostics())
                .extracting(Diagnostic::severity, Diagnostic::path)
                .containsExactly(tuple(Severity.NOTE, "status.addresses[3].address"));
    }

    @Test
    void theDatapathIdAnnotationIsKeptAsWrittenAndAnUnreadableOneIsAWarning() throws Exception {
        ClusterSnapshot s = TestInputs.load("objects/node-datapath-id.yaml");

        assertThat(s.node("annotated").orElseThrow().datapathIdAnnotation()).contains("0x0000000000000A01");
        assertThat(s.node("misannotated").orElseThrow().datapathIdAnnotation()).contains("a01");
        assertThat(s.nodes()).hasSize(2);
        assertThat(diagnosticsOf(s, "annotated")).isEmpty();
        assertThat(diagnosticsOf(s, "misannotated"))
                .singleElement()
                .asString()
                .startsWith("WARNING metadata.annotations[\"ovs-anp.io/datapath-id\"]: not a datapath id: \"a01\"")
                .endsWith("no switch is mapped to this node until it is fixed");
    }
}
