package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.testing.RandomFlows;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every flow the model can express survives encode → decode, as a flow-mod and as a dumped flow. */
class RoundTripPropertyTest {
    @Provide
    Arbitrary<Flow> flows() {
        return Arbitraries.randomValue(RandomFlows::flow);
    }

    @Property
    void flowModRoundTrips(@ForAll("flows") Flow flow) {
        FlowMod add = FlowMod.add(0xfedcba98L, flow);
        byte[] bytes = OfCodec.encode(add);
        FlowMod decoded = (FlowMod) OfCodec.decode(bytes);
        assertThat(decoded).isEqualTo(add);
        assertThat(decoded.flow()).contains(flow);
        assertThat(OfCodec.encode(decoded)).isEqualTo(bytes);
    }

    @Property
    void dumpedFlowRoundTrips(@ForAll("flows") Flow flow) {
        FlowStatsReply reply = new FlowStatsReply(3, false, List.of(DumpedFlow.of(flow), DumpedFlow.of(flow)));
        FlowStatsReply decoded = (FlowStatsReply) OfCodec.decode(OfCodec.encode(reply));
        assertThat(decoded).isEqualTo(reply);
        assertThat(decoded.flows().get(0).sameAs(flow)).isTrue();
    }

    @Property
    void bundleAddRoundTrips(@ForAll("flows") Flow flow) {
        BundleAdd add =
                new BundleAdd(77, 9, BundleControl.ATOMIC | BundleControl.ORDERED, FlowMod.modifyStrict(77, flow));
        assertThat(OfCodec.decode(OfCodec.encode(add))).isEqualTo(add);
    }
}
