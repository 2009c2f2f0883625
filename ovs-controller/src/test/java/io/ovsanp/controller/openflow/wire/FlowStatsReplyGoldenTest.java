package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.ofctl.OfctlParseException;
import io.ovsanp.compiler.ofctl.OfctlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A flow-stats reply captured from a live OVS 3.1 after installing flow-stats.flows
 * (wire-capture.sh): what the reconciler reads back must equal what it sent.
 */
class FlowStatsReplyGoldenTest {
    static FlowStatsReply reply() {
        return (FlowStatsReply) OfCodec.decode(
                Fixtures.hex(Fixtures.values("flow-stats.golden", "hex").get(0)));
    }

    static Optional<Flow> parse(String line) {
        try {
            return Optional.of(OfctlParser.parseFlow(line));
        } catch (OfctlParseException e) {
            return Optional.empty();
        }
    }

    @Test
    void everyEntryDecodesLikeOvsPrintsIt() {
        FlowStatsReply reply = reply();
        List<String> printed = Fixtures.values("flow-stats.golden", "flow");
        assertThat(reply.more()).isFalse();
        assertThat(reply.flows()).hasSize(printed.size()).hasSize(26);
        for (int i = 0; i < printed.size(); i++) {
            DumpedFlow d = reply.flows().get(i);
            Optional<Flow> expected = parse(printed.get(i));
            assertThat(d.flow()).as(printed.get(i)).isEqualTo(expected);
        }
    }

    @Test
    void whatWeInstalledComesBackUnchanged() {
        List<Flow> sent = new ArrayList<>();
        for (String line : Fixtures.text("flow-stats.flows").split("\\R")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                parse(line).ifPresent(sent::add);
            }
        }
        List<Flow> dumped =
                reply().flows().stream().flatMap(d -> d.flow().stream()).toList();
        assertThat(sent).hasSize(22);
        assertThat(dumped).containsExactlyInAnyOrderElementsOf(sent);
        for (Flow f : sent) {
            DumpedFlow d = reply().flows().stream()
                    .filter(x -> x.flow().equals(Optional.of(f)))
                    .findFirst()
                    .orElseThrow();
            assertThat(d.sameAs(f)).isTrue();
            assertThat(d.rawMatch()).isEqualTo(DumpedFlow.of(f).rawMatch());
        }
    }

    @Test
    void flowsTheModelCannotHoldAreOpaqueWithAReason() {
        List<DumpedFlow> opaque =
                reply().flows().stream().filter(DumpedFlow::isOpaque).toList();
        assertThat(opaque).extracting(d -> d.priority().value()).containsExactlyInAnyOrder(7, 8, 9, 10);
        assertThat(reason(opaque, 7)).contains("unknown oxm 0x80001001"); // ip_dscp 4 (nw_tos=16)
        assertThat(reason(opaque, 8)).contains("load to 0x00010004 bits 0x7").contains("nicira action subtype 8");
        assertThat(reason(opaque, 9)).isEqualTo("idle_timeout=30,hard_timeout=0");
        assertThat(reason(opaque, 10)).contains("zone_src=0x10c04");
        // a raw-match delete still addresses the nw_tos flow exactly
        DumpedFlow tos = opaque.stream()
                .filter(d -> d.priority().value() == 7)
                .findFirst()
                .orElseThrow();
        assertThat(tos.rawMatch()).isEqualTo(Bytes.fromHex("80000a0208008000100104"));
    }

    private static String reason(List<DumpedFlow> flows, int priority) {
        return flows.stream()
                .filter(d -> d.priority().value() == priority)
                .findFirst()
                .orElseThrow()
                .opaqueReason();
    }

    @Test
    void reencodedReplyOfTheUnderstoodFlowsDecodesEqual() {
        List<DumpedFlow> known =
                reply().flows().stream().filter(d -> !d.isOpaque()).toList();
        FlowStatsReply again = new FlowStatsReply(2, true, known);
        assertThat(OfCodec.decode(OfCodec.encode(again))).isEqualTo(again);
    }

    @Test
    void ovsDumpsOurFlowsInExactlyTheBytesWeEncode() {
        byte[] all = Fixtures.hex(Fixtures.values("flow-stats.golden", "hex").get(0));
        List<DumpedFlow> flows = reply().flows();
        int offset = 16; // header + multipart header
        int compared = 0;
        for (DumpedFlow d : flows) {
            int length = ((all[offset] & 0xff) << 8) | (all[offset + 1] & 0xff);
            byte[] entry = java.util.Arrays.copyOfRange(all, offset, offset + length);
            offset += length;
            if (!d.isOpaque()) {
                byte[] ours = OfCodec.encode(new FlowStatsReply(2, false, List.of(d)));
                assertThat(Fixtures.hex(java.util.Arrays.copyOfRange(ours, 16, ours.length)))
                        .as(d.flow().orElseThrow().toString())
                        .isEqualTo(Fixtures.hex(entry));
                compared++;
            }
        }
        assertThat(offset).isEqualTo(all.length);
        assertThat(compared).isEqualTo(22);
    }
}
