package io.ovsanp.controller.openflow.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link OfMessage}s; stateless, so one instance may serve every channel. */
@ChannelHandler.Sharable
public final class OfEncoder extends MessageToByteEncoder<OfMessage> {
    public OfEncoder() {
        super(OfMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OfMessage msg, ByteBuf out) {
        OfCodec.write(msg, out);
    }
}
