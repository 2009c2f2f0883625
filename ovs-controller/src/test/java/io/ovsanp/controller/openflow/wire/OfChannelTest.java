package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ovsanp.compiler.flow.FlowAction;
import io.ovsanp.compiler.flow.Match;
import io.ovsanp.compiler.ofctl.OfctlParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Netty handlers: framing by the header length, encoding, and what malformed input does. */
class OfChannelTest {
    @Test
    void messagesSplitAndCoalescedAcrossReadsComeOutWhole() {
        byte[] a = OfCodec.encode(OfMessage.Hello.of13(1));
        byte[] b = Fixtures.flowMods().get(3).bytes();
        byte[] c = OfCodec.encode(new OfMessage.BarrierReply(9));
        ByteBuf all = Unpooled.wrappedBuffer(a, b, c);
        EmbeddedChannel ch = new EmbeddedChannel(new OfDecoder());
        // one byte, then the rest of the first two messages and a part of the third, then the end
        ch.writeInbound(all.readRetainedSlice(1));
        ch.writeInbound(all.readRetainedSlice(a.length + b.length - 1 + 3));
        assertThat(ch.inboundMessages()).hasSize(2);
        ch.writeInbound(all.readRetainedSlice(all.readableBytes()));
        assertThat(List.of(ch.<Object>readInbound(), ch.readInbound(), ch.readInbound()))
                .containsExactly(OfMessage.Hello.of13(1), OfCodec.decode(b), new OfMessage.BarrierReply(9));
        assertThat(ch.finishAndReleaseAll()).isFalse();
        all.release();
    }

    @Test
    void aLengthShorterThanTheHeaderIsAProtocolError() {
        EmbeddedChannel ch = new EmbeddedChannel(new OfDecoder());
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(Fixtures.hex("04140004000000"))))
                .isInstanceOf(OfProtocolException.class)
                .hasMessageContaining("header length 4");
        ch.finishAndReleaseAll();
    }

    @Test
    void aNonOpenFlow13MessageIsAProtocolError() {
        EmbeddedChannel ch = new EmbeddedChannel(new OfDecoder());
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(Fixtures.hex("011400080000000d"))))
                .isInstanceOf(OfProtocolException.class)
                .hasMessageContaining("not 1.3");
        ch.finishAndReleaseAll();
    }

    @Test
    void encoderWritesWhatTheCodecEncodes() {
        EmbeddedChannel ch = new EmbeddedChannel(new OfEncoder());
        FlowMod fm =
                FlowMod.add(1, OfctlParser.parseFlow(Fixtures.flowMods().get(0).flow()));
        ch.writeOutbound(fm, new OfMessage.BarrierRequest(2));
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        assertThat(Fixtures.hex(io.netty.buffer.ByteBufUtil.getBytes(first)))
                .isEqualTo(Fixtures.hex(Fixtures.flowMods().get(0).bytes()));
        assertThat(Fixtures.hex(io.netty.buffer.ByteBufUtil.getBytes(second))).isEqualTo("0414000800000002");
        first.release();
        second.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aFlowModOver64KiBIsRefusedBeforeAnythingIsWritten() {
        List<FlowAction> conj = new ArrayList<>(
                Collections.nCopies(4100, new FlowAction.Conjunction(new io.ovsanp.compiler.flow.ConjId(1), 1, 2)));
        var flow = new io.ovsanp.compiler.flow.Flow(
                io.ovsanp.compiler.flow.TableId.of(3),
                io.ovsanp.compiler.flow.Priority.of(5),
                new io.ovsanp.compiler.flow.Cookie(0),
                Match.ANY,
                conj);
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> OfCodec.write(FlowMod.add(1, flow), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds 65535");
        assertThat(out.writerIndex()).isZero();
        // 4,000 conjunction actions still fit (docs/ovs-notes.md §1.2)
        OfCodec.write(
                FlowMod.add(
                        1,
                        new io.ovsanp.compiler.flow.Flow(
                                flow.table(), flow.priority(), flow.cookie(), Match.ANY, conj.subList(0, 4000))),
                out);
        assertThat(out.readableBytes()).isLessThanOrEqualTo(65535);
        out.release();
    }
}
