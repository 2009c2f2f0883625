package io.ovsanp.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.eval.Verdict;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.controller.cli.Main;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.it.conformance.Scenarios.Probe;
import io.ovsanp.it.conformance.Scenarios.Scenario;
import io.ovsanp.it.conformance.Scenarios.Step;
import io.ovsanp.it.ovs.NodePipeline;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import io.ovsanp.testkit.TraceVerdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The egress scenarios of the upstream conformance suite ({@link Scenarios}) on a real ovs-vswitchd:
 * for each scenario, in its v1alpha1 (ANP/BANP) and its v1alpha2 (ClusterNetworkPolicy) form, and
 * for each of its steps, the base cluster and the step's policies are loaded with {@link
 * SnapshotLoader}, validated, and every node compiled; each probe is traced ({@code ofproto/trace})
 * on the pipeline of the source pod's node, and must give upstream's verdict. The reference {@link
 * Evaluator} must agree with upstream too, and {@code ovs-anp explain} (run in-process) on the first
 * probe of every step.
 */
class ConformanceEgressIT {
    private static PrivateOvs ovs;
    private static Bridge bridge;

    static Path resources() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ConformanceEgressIT.class.getResource("/conformance/cluster.yaml"))
                        .toURI())
                .getParent();
    }

    static Stream<Arguments> scenarios() {
        List<Arguments> out = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            out.add(Arguments.of(s.v1alpha1Test(), "v1alpha1", s));
            out.add(Arguments.of(s.v1alpha2Test(), "v1alpha2", s));
        }
        return out.stream();
    }

    @BeforeEach
    void startOvs() {
        Needs.ovs();
        if (ovs == null) {
            ovs = PrivateOvs.start();
            bridge = ovs.addBridge("br-int");
        }
    }

    @AfterAll
    static void stopOvs() {
        if (ovs != null) ovs.close();
        ovs = null;
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("scenarios")
    void upstreamVerdictsOnOvs(String upstreamTest, String api, Scenario scenario) throws Exception {
        Path cluster = resources().resolve("cluster.yaml");
        int checked = 0;
        for (Step step : scenario.steps()) {
            Path policies = resources().resolve(scenario.dir()).resolve(step.file() + "-" + api + ".yaml");
            assertThat(policies).exists();
            String where = upstreamTest + " step " + step.file() + " (" + step.upstreamSubtest() + ")";
            ClusterSnapshot snapshot = SnapshotLoader.load(List.of(cluster, policies));
            EffectivePolicies effective = PolicyValidator.validate(snapshot);
            List<Diagnostic> errors = Stream.concat(
                            snapshot.loadDiagnostics().stream(), effective.diagnostics().stream())
                    .filter(d -> d.severity() == Severity.ERROR)
                    .toList();
            assertThat(errors).as("%s: errors in %s", where, policies).isEmpty();
            assertThat(snapshot.adminPolicies())
                    .as("%s: policies read from %s", where, policies)
                    .isNotEmpty();
            Evaluator evaluator = new Evaluator(snapshot, effective);
            for (String node : snapshot.nodeNames()) {
                List<Probe> here = step.probes().stream()
                        .filter(p -> pod(snapshot, p.from()).nodeName().equals(node))
                        .toList();
                if (here.isEmpty()) continue;
                NodePipeline.load(bridge, snapshot, effective, node, CompileOptions.DEFAULT);
                for (Probe probe : here) {
                    Packet packet = packet(snapshot, probe);
                    Verdict reference = evaluator.evaluate(packet);
                    assertThat(reference.allowed())
                            .as("%s: evaluator on %s%n%s", where, probe, reference.explain())
                            .isEqualTo(probe.allowed());
                    TraceVerdict got = NodePipeline.trace(bridge, packet);
                    assertThat(!got.dropped())
                            .as(
                                    "%s: OVS on node %s, %s (%s)%n%s%n%s",
                                    where, node, probe, packet, got, bridge.describe())
                            .isEqualTo(probe.allowed());
                    checked++;
                }
            }
            Probe first = step.probes().get(0);
            String explained = explain(cluster, policies, first, address(snapshot, first.to()));
            assertThat(explained)
                    .as("%s: ovs-anp explain on %s", where, first)
                    .startsWith(first.allowed() ? "ALLOW" : "DENY");
        }
        assertThat(checked)
                .as("every probe traced")
                .isEqualTo(scenario.steps().stream()
                        .mapToInt(s -> s.probes().size())
                        .sum());
    }

    static String namespace(String name) {
        return "network-policy-conformance-" + name.substring(0, name.indexOf('/'));
    }

    static PodInfo pod(ClusterSnapshot s, String name) {
        return s.pod(namespace(name), name.substring(name.indexOf('/') + 1))
                .orElseThrow(() -> new IllegalArgumentException("no pod " + name + " in the base cluster"));
    }

    /** A pod's (first) IP, or the literal IP address {@code to}. */
    static IpAddress address(ClusterSnapshot s, String to) {
        return IpAddress.tryParse(to).orElseGet(() -> pod(s, to).ips().get(0));
    }

    static Packet packet(ClusterSnapshot s, Probe p) {
        Protocol proto = Protocol.fromApi(p.proto().toUpperCase(Locale.ROOT)).orElseThrow();
        return Packet.of(pod(s, p.from()).ips().get(0), address(s, p.to()), proto, p.port());
    }

    /** {@code ovs-anp explain} in-process, as a user would run it; its standard output. */
    static String explain(Path cluster, Path policies, Probe p, IpAddress to) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(
                "explain",
                "--cluster",
                cluster.toString(),
                policies.toString(),
                "--from",
                namespace(p.from()) + "/" + p.from().substring(p.from().indexOf('/') + 1),
                "--to",
                to.toString(),
                "--proto",
                p.proto(),
                "--port",
                Integer.toString(p.port()));
        assertThat(code).as("explain exit code; stderr:%n%s", err).isZero();
        return out.toString();
    }
}
