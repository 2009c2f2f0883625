package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Frames the byte stream by the OpenFlow header's length field (bytes 2-3, counting the whole
 * message) and decodes each frame into an {@link OfMessage}. Anything malformed, including a
 * length below the 8-byte header, raises {@link OfProtocolException}; the connection should close
 * the channel then, as the stream cannot be resynchronised. One decoder per channel (stateful).
 */
public final class OfDecoder extends LengthFieldBasedFrameDecoder {
    public OfDecoder() {
        super(Wire.MAX_LENGTH, 2, 2, -4, 0);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (in.readableBytes() >= 4 && in.getUnsignedShort(in.readerIndex() + 2) < Wire.HEADER_LENGTH) {
            int length = in.getUnsignedShort(in.readerIndex() + 2);
            in.skipBytes(in.readableBytes());
            throw new OfProtocolException("header length " + length + " is shorter than the header");
        }
        ByteBuf frame;
        try {
            frame = (ByteBuf) super.decode(ctx, in);
        } catch (TooLongFrameException e) {
            throw new OfProtocolException("frame too long", e);
        }
        if (frame == null) {
            return null;
        }
        try {
            return OfCodec.read(frame);
        } finally {
            frame.release();
        }
    }
}
