package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every cell of {@code ovs-anp matrix}, for every story in {@code examples/}, is what {@code ovs-anp
 * explain -o json} says for that pod, destination, protocol and port: the same addresses, the same
 * combined verdict and the same decision of each side. The text grid the command prints carries the
 * same verdicts, and a cell without a shared address family is one {@code explain} refuses.
 */
class MatrixAgreesWithExplainTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.ovsanp.controller.cli.GoldenFilesTest#examples")
    void everyCellIsExplainsVerdict(Path example) throws Exception {
        List<String> extra = GoldenFilesTest.extraArgs(example);
        ClusterSnapshot snapshot = SnapshotLoader.load(List.of(example));
        ServiceVips vips = extra.contains("pre-dnat") ? ServiceVips.PRE_DNAT : ServiceVips.NONE;
        ConnectivityMatrix m = ConnectivityMatrix.build(snapshot, PolicyValidator.validate(snapshot), vips);
        assertThat(m.rows()).isNotEmpty();
        assertThat(m.ports()).anyMatch(MatrixPorts.PortClass::other);

        CliRun text = CliRun.of(args("matrix", example, extra).toArray(String[]::new));
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).isEqualTo(MatrixText.render(m));

        int explained = 0;
        for (List<List<ConnectivityMatrix.Cell>> grid : m.cells()) {
            for (List<ConnectivityMatrix.Cell> line : grid) {
                for (ConnectivityMatrix.Cell cell : line) {
                    check(example, extra, cell);
                    explained++;
                }
            }
        }
        assertThat(explained)
                .isEqualTo(m.ports().size() * m.rows().size() * m.columns().size());
    }

    private static void check(Path example, List<String> extra, ConnectivityMatrix.Cell cell) throws Exception {
        String to = cell.result()
                .map(r -> cell.to().explainTo(r.dst()))
                .orElse(cell.to().explainTo(cell.to().addresses().get(0)));
        List<String> args = args("explain", example, extra);
        args.addAll(List.of(
                "--from",
                cell.from().key(),
                "--to",
                to,
                "--proto",
                cell.port().protocol().map(p -> p.ofctlName()).orElse("icmp"),
                "-o",
                "json"));
        if (cell.port().protocol().isPresent()) {
            args.addAll(List.of("--port", String.valueOf(cell.port().port())));
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        String what = String.join(" ", args);
        if (cell.result().isEmpty()) {
            assertThat(r.exit()).as(what).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(r.err()).as(what).containsAnyOf("share no address family", "address");
            return;
        }
        assertThat(r.exit()).as(what + "\n" + r.err()).isZero();
        ConnectionProbe.Result got = cell.result().get();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.path("verdict").asText())
                .as(what)
                .isEqualTo(got.verdict().allowed() ? "ALLOW" : "DENY");
        assertThat(doc.path("connection").path("source").asText())
                .as(what)
                .isEqualTo(got.src().toString());
        assertThat(doc.path("connection").path("destination").asText())
                .as(what)
                .isEqualTo(got.dst().toString());
        assertThat(doc.path("egress").path("summary").asText())
                .as(what)
                .isEqualTo(got.verdict().egress().describe());
        assertThat(doc.path("ingress").path("summary").asText())
                .as(what)
                .isEqualTo(got.verdict().ingress().describe());
        // the hover text names what explain names
        assertThat(cell.title())
                .contains(got.verdict().egress().describe())
                .contains(got.verdict().ingress().describe());
    }

    private static List<String> args(String command, Path example, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(command, "--cluster", example.toString()));
        args.addAll(extra);
        return args;
    }
}
