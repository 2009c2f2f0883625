package io.ovsanp.controller.openflow;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.ovsanp.controller.openflow.wire.OfDecoder;
import io.ovsanp.controller.openflow.wire.OfEncoder;
import io.ovsanp.controller.openflow.wire.OfMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of every OpenFlow channel: [TLS] → framing/decoding → encoding → raw TRACE log →
 * {@link Handshake}, which hands over to the {@link OfConnection}'s dispatcher.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write/close/schedule futures: failures reach exceptionCaught or
// channelInactive
final class ChannelSetup {
    private static final OfEncoder ENCODER = new OfEncoder();
    private static final RawLog RAW_LOG = new RawLog();
    /** How log lines name the channel's peer: the target, then its address, then "switch DPID at ...". */
    static final AttributeKey<String> NAME = AttributeKey.valueOf("ovsanp.openflow.name");

    private ChannelSetup() {}

    /**
     * @param tls client or server context, if the target is ssl/pssl
     * @param sniHost the host we dial, for a client's SSLEngine; null on the listening side
     */
    static ChannelInitializer<Channel> initializer(
            Optional<SslContext> tls,
            String sniHost,
            int port,
            String target,
            ConnectionConfig config,
            CompletableFuture<OfConnection> result) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.attr(NAME).set(target);
                if (tls.isPresent()) {
                    SslHandler ssl = sniHost == null
                            ? tls.get().newHandler(ch.alloc())
                            : tls.get().newHandler(ch.alloc(), sniHost, port);
                    ssl.setHandshakeTimeout(config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    ch.pipeline().addLast("tls", ssl);
                }
                ch.pipeline()
                        .addLast("decoder", new OfDecoder())
                        .addLast("encoder", ENCODER)
                        .addLast("raw", RAW_LOG)
                        .addLast("handshake", new Handshake(target, tls.isPresent(), config, result));
            }
        };
    }

    /** Logs each message in and out on {@code io.ovsanp.openflow.raw} at TRACE. */
    @ChannelHandler.Sharable
    static final class RawLog extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (OfConnection.RAW.isTraceEnabled() && msg instanceof OfMessage) {
                OfConnection.RAW.trace("{} in: {}", ctx.channel().attr(NAME).get(), msg);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (OfConnection.RAW.isTraceEnabled() && msg instanceof OfMessage) {
                OfConnection.RAW.trace("{} out: {}", ctx.channel().attr(NAME).get(), msg);
            }
            ctx.write(msg, promise);
        }
    }
}
