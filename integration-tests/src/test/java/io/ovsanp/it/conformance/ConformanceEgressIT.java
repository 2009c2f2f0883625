package io.ovsanp.it.conformance;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upstream conformance tests about egress rules ({@link Scenarios#egress}), each in its v1alpha1
 * (ANP/BANP) and its v1alpha2 (ClusterNetworkPolicy) form, on a real ovs-vswitchd: every probe traced
 * on the pipelines of the source and the destination pod's nodes, the evaluator and {@code ovs-anp
 * explain} must all give upstream's verdict ({@link ConformanceOnOvs}).
 */
class ConformanceEgressIT extends ConformanceOnOvs {
    static Stream<Arguments> scenarios() {
        return arguments(Scenarios.egress());
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("scenarios")
    void upstreamVerdictsOnOvs(String upstreamTest, String api, Scenarios.Scenario scenario) throws Exception {
        checkOnOvs(upstreamTest, api, scenario);
    }
}
