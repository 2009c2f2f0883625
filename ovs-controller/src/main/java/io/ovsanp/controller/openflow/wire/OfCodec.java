package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Optional;

/** Encodes and decodes single OpenFlow 1.3 messages; the Netty handlers and tests build on this. */
public final class OfCodec {
    private OfCodec() {}

    /**
     * Appends {@code message} to {@code out}.
     *
     * @throws IllegalArgumentException if it would exceed 65,535 bytes (nothing is written then)
     */
    public static void write(OfMessage message, ByteBuf out) {
        MessageWriter.write(message, out);
    }

    public static byte[] encode(OfMessage message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            write(message, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /**
     * Reads {@code frame}, which must hold exactly one message (as {@link OfDecoder} frames them).
     *
     * @throws OfProtocolException for anything malformed
     */
    public static OfMessage read(ByteBuf frame) {
        return MessageReader.read(frame);
    }

    public static OfMessage decode(byte[] message) {
        return read(Unpooled.wrappedBuffer(message));
    }

    /** Decodes {@code bytes} as one message; empty when they are not one well-formed message. */
    public static Optional<OfMessage> tryDecode(Bytes bytes) {
        try {
            return Optional.of(decode(bytes.toArray()));
        } catch (OfProtocolException e) {
            return Optional.empty();
        }
    }
}
