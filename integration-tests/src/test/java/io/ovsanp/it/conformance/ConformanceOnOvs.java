package io.ovsanp.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.PodInfo;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.diag.Severity;
import io.ovsanp.compiler.eval.ConnectionVerdict;
import io.ovsanp.compiler.eval.Evaluator;
import io.ovsanp.compiler.eval.Packet;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import io.ovsanp.compiler.policy.Protocol;
import io.ovsanp.controller.cli.Main;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.it.conformance.Scenarios.Probe;
import io.ovsanp.it.conformance.Scenarios.Scenario;
import io.ovsanp.it.conformance.Scenarios.Step;
import io.ovsanp.it.ovs.NodeBridges;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
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
import org.junit.jupiter.params.provider.Arguments;
import picocli.CommandLine;

/**
 * What the conformance ITs share: the base cluster, the private ovs-vswitchd with one bridge per node
 * ({@link NodeBridges}), and {@link #checkOnOvs}, which runs one upstream test in one API version.
 * For each of its steps, the base cluster and the step's policies are loaded with {@link
 * SnapshotLoader} and validated (no errors allowed); each probe is traced ({@code ofproto/trace}) on
 * the pipeline of the source pod's node and on that of the destination pod's node (one pipeline when
 * they share a node), and the connection, allowed only when every pipeline outputs it, must get
 * upstream's verdict. The reference {@link Evaluator} ({@link Evaluator#evaluateConnection}) and
 * {@code ovs-anp explain} (run in-process; its first word) must agree with upstream on every probe.
 */
abstract class ConformanceOnOvs {
    private static PrivateOvs ovs;
    private static NodeBridges nodes;

    static Path resources() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ConformanceOnOvs.class.getResource("/conformance/cluster.yaml"))
                        .toURI())
                .getParent();
    }

    /** Each scenario in each API version: (upstream test name, API version, scenario). */
    static Stream<Arguments> arguments(List<Scenario> scenarios) {
        List<Arguments> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            // A test upstream has in CNP form only still runs on its v1alpha1 (ANP/BANP) re-statement.
            String v1alpha1 = s.v1alpha1Test().isEmpty() ? s.v1alpha2Test() + " as ANP/BANP" : s.v1alpha1Test();
            // ...unless it cannot be re-stated (several Baseline policies where v1alpha1 has one BANP).
            if (s.steps().stream().anyMatch(st -> st.appliesTo(Scenarios.V1ALPHA1))) {
                out.add(Arguments.of(v1alpha1, Scenarios.V1ALPHA1, s));
            }
            out.add(Arguments.of(s.v1alpha2Test(), Scenarios.V1ALPHA2, s));
        }
        return out.stream();
    }

    @BeforeEach
    void startOvs() {
        Needs.ovs();
        if (ovs == null) {
            ovs = PrivateOvs.start();
            nodes = new NodeBridges(ovs);
        }
    }

    @AfterAll
    static void stopOvs() {
        if (ovs != null) ovs.close();
        ovs = null;
        nodes = null;
    }

    /** Runs {@code scenario}'s steps in {@code api} on OVS, the evaluator and explain; see the class comment. */
    static void checkOnOvs(String upstreamTest, String api, Scenario scenario) throws Exception {
        Path cluster = resources().resolve("cluster.yaml");
        int checked = 0;
        int expected = 0;
        for (Step step : scenario.steps()) {
            if (!step.appliesTo(api)) continue;
            expected += step.probes().size();
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
            nodes.use(snapshot, effective, CompileOptions.DEFAULT);
            for (Probe probe : step.probes()) {
                Packet packet = packet(snapshot, probe);
                ConnectionVerdict reference = evaluator.evaluateConnection(packet);
                assertThat(reference.allowed())
                        .as(
                                "%s: evaluator on %s%n%s%negress: %s%ningress: %s",
                                where,
                                probe,
                                reference.describe(),
                                reference.egress().explain(),
                                reference.ingress().explain())
                        .isEqualTo(probe.allowed());
                NodeBridges.Crossing got = nodes.trace(
                        evaluator, packet, pod(snapshot, probe.from()).nodeName());
                if (got.allowed() != probe.allowed()) {
                    assertThat(got.allowed())
                            .as("%s: OVS on nodes %s, %s (%s)%n%s", where, got.nodes(), probe, packet, got.describe())
                            .isEqualTo(probe.allowed());
                }
                if (got.crossesNodes()) {
                    // Across nodes each side is decided at its own node: the client's pipeline gives the
                    // egress verdict, the server's the ingress one.
                    List<String> crossed = got.nodes();
                    assertThat(List.of(
                                    !got.verdicts().get(crossed.get(0)).dropped(),
                                    !got.verdicts().get(crossed.get(1)).dropped()))
                            .as(
                                    "%s: (egress at %s, ingress at %s) on %s%n%s",
                                    where, crossed.get(0), crossed.get(1), probe, got.describe())
                            .containsExactly(
                                    reference.egress().allowed(),
                                    reference.ingress().allowed());
                }
                String explained = explain(cluster, policies, probe, address(snapshot, probe.to()));
                assertThat(explained)
                        .as("%s: ovs-anp explain on %s", where, probe)
                        .startsWith(probe.allowed() ? "ALLOW" : "DENY");
                checked++;
            }
        }
        assertThat(expected).as("probes of %s in %s", upstreamTest, api).isPositive();
        assertThat(checked).as("every probe traced").isEqualTo(expected);
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
