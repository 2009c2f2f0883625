package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ovsanp.compiler.ofctl.OfctlParser;
import io.ovsanp.compiler.testing.RandomFlows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random bytes and random mutations of valid messages: the decoder returns a message or throws
 * {@link OfProtocolException}, never anything else (no IndexOutOfBounds, NPE, IllegalArgument).
 */
class DecoderFuzzPropertyTest {
    static final List<byte[]> VALID = valid();

    static List<byte[]> valid() {
        List<byte[]> out = new ArrayList<>();
        Fixtures.flowMods().forEach(g -> out.add(g.bytes()));
        out.add(Fixtures.hex(Fixtures.values("flow-stats.golden", "hex").get(0)));
        out.add(Fixtures.hex(
                Fixtures.values("switch-replies.golden", "features").get(0)));
        for (String key : List.of("copy", "paused", "resume")) {
            out.add(Fixtures.hex(Fixtures.values("continuations.golden", key).get(0)));
        }
        out.add(OfCodec.encode(new SetPacketInFormat(1, SetPacketInFormat.NXT_PACKET_IN2)));
        out.add(OfCodec.encode(OfMessage.Hello.of13(1)));
        out.add(OfCodec.encode(new BundleControl(1, 1, BundleControl.Type.OPEN_REQUEST, 3)));
        out.add(OfCodec.encode(FlowStatsRequest.ours(4)));
        byte[] fm = Fixtures.flowMods().get(0).bytes();
        out.add(OfCodec.encode(new ErrorMsg(1, OfError.BAD_CONJUNCTION, Bytes.of(fm))));
        out.add(OfCodec.encode(new BundleAdd(1, 1, 3, OfCodec.decode(fm))));
        Random r = new Random(7);
        for (int i = 0; i < 50; i++) {
            out.add(OfCodec.encode(FlowMod.add(i, RandomFlows.flow(r))));
        }
        out.add(OfCodec.encode(FlowMod.add(
                2,
                OfctlParser.parseFlow(
                        "ip actions=ct(commit,table=2,zone=3,exec(set_field:0x1->ct_mark)),resubmit(,4)"))));
        return out;
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return Arbitraries.randomValue(DecoderFuzzPropertyTest::mutate);
    }

    static byte[] mutate(Random r) {
        byte[] b = VALID.get(r.nextInt(VALID.size())).clone();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n && b.length > 0; i++) {
            int kind = r.nextInt(5);
            if (kind == 0) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            } else if (kind == 1) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            } else if (kind == 2) {
                b = Arrays.copyOf(b, r.nextInt(b.length + 1));
            } else if (kind == 3) {
                int at = 8 + r.nextInt(Math.max(1, b.length - 8));
                int v = r.nextInt(0x10000);
                if (at + 1 < b.length) {
                    b[at] = (byte) (v >> 8);
                    b[at + 1] = (byte) v; // a length field, most likely
                }
            } else {
                byte[] longer = Arrays.copyOf(b, b.length + 1 + r.nextInt(16));
                r.nextBytes(Arrays.copyOfRange(longer, b.length, longer.length));
                b = longer;
            }
        }
        if (b.length >= 4 && r.nextInt(4) > 0) {
            // keep the header length consistent so decoding gets past the framing check
            b[2] = (byte) (b.length >> 8);
            b[3] = (byte) b.length;
        }
        return b;
    }

    static void decodeOrProtocolError(byte[] bytes) {
        try {
            OfMessage m = OfCodec.decode(bytes);
            assertThat(m).isNotNull();
            // whatever decoded re-encodes without blowing up, except opaque dumps, which cannot
            if (!(m instanceof FlowStatsReply reply && reply.flows().stream().anyMatch(DumpedFlow::isOpaque))) {
                OfCodec.encode(m);
            }
        } catch (OfProtocolException expected) {
            assertThat(expected).hasMessageNotContaining("null");
        }
    }

    @Property
    void randomBytesOnlyRaiseProtocolErrors(@ForAll @Size(max = 300) byte[] bytes) {
        decodeOrProtocolError(bytes);
    }

    @Property
    void randomBytesBehindAValidHeader(@ForAll @Size(max = 300) byte[] body, @ForAll("types") int type) {
        byte[] b = new byte[8 + body.length];
        b[0] = 4;
        b[1] = (byte) type;
        b[2] = (byte) (b.length >> 8);
        b[3] = (byte) b.length;
        System.arraycopy(body, 0, b, 8, body.length);
        decodeOrProtocolError(b);
    }

    @Provide
    Arbitrary<Integer> types() {
        return Arbitraries.of(0, 1, 2, 3, 4, 5, 6, 9, 14, 18, 19, 20, 21, 12, 255);
    }

    @Property
    void mutatedMessagesOnlyRaiseProtocolErrors(@ForAll("mutated") byte[] bytes) {
        decodeOrProtocolError(bytes);
    }

    @Property(tries = 300)
    void channelDecoderOnlyRaisesProtocolErrors(@ForAll("mutated") byte[] bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new OfDecoder());
        List<Object> decoded = new ArrayList<>();
        try {
            // in chunks, as a socket delivers them
            Random r = new Random(Arrays.hashCode(bytes));
            for (int at = 0; at < bytes.length; ) {
                int n = 1 + r.nextInt(bytes.length - at);
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, n));
                at += n;
            }
            ch.finish();
        } catch (OfProtocolException expected) {
            // the connection closes the channel on this
        }
        for (Object m; (m = ch.readInbound()) != null; ) {
            decoded.add(m);
        }
        assertThat(decoded).allMatch(m -> m instanceof OfMessage);
        ch.close();
    }
}
