package io.ovsanp.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import io.ovsanp.it.conformance.Scenarios.Probe;
import io.ovsanp.it.conformance.Scenarios.Scenario;
import io.ovsanp.it.conformance.Scenarios.Step;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upstream conformance tests about ingress rules ({@link Scenarios#ingress}), each in its v1alpha1
 * (ANP/BANP) and its v1alpha2 (ClusterNetworkPolicy) form, on a real ovs-vswitchd: every probe traced
 * on the pipelines of the client's and the server's nodes (the server's decides ingress), the
 * evaluator and {@code ovs-anp explain} must all give upstream's verdict ({@link ConformanceOnOvs}).
 */
class ConformanceIngressIT extends ConformanceOnOvs {
    static Stream<Arguments> scenarios() {
        return arguments(Scenarios.ingress());
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("scenarios")
    void upstreamVerdictsOnOvs(String upstreamTest, String api, Scenario scenario) throws Exception {
        checkOnOvs(upstreamTest, api, scenario);
    }

    /**
     * The ingress side is judged at the server's node; probes whose client shares it and probes whose
     * client is elsewhere must both occur, allowed and denied, or the cross-node path goes unchecked.
     */
    @Test
    void probesCoverSameNodeAndCrossNodeConnectionsBothWays() throws Exception {
        ClusterSnapshot cluster = SnapshotLoader.load(List.of(resources().resolve("cluster.yaml")));
        int[] counts = new int[4]; // [same node denied, same node allowed, cross-node denied, cross-node allowed]
        for (Scenario s : Scenarios.ingress()) {
            for (Step step : s.steps()) {
                for (Probe p : step.probes()) {
                    boolean cross = !pod(cluster, p.from())
                            .nodeName()
                            .equals(pod(cluster, p.to()).nodeName());
                    counts[(cross ? 2 : 0) + (p.allowed() ? 1 : 0)]++;
                }
            }
        }
        assertThat(java.util.Arrays.stream(counts).boxed().toList())
                .as("same/cross node × denied/allowed")
                .allMatch(n -> n > 0);
    }
}
