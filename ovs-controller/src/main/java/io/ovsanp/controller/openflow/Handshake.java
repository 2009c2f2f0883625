package io.ovsanp.controller.openflow;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.ovsanp.controller.openflow.wire.ErrorMsg;
import io.ovsanp.controller.openflow.wire.OfMessage;
import io.ovsanp.controller.openflow.wire.SetPacketInFormat;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The OpenFlow 1.3 connection setup (OpenFlow 1.3 §6.3.1, §7.3.1): we send HELLO with the 1.3
 * version bitmap; the peer's HELLO must offer 1.3; FEATURES_REQUEST gives the datapath id; SET_CONFIG
 * {@code miss_send_len=0} (we want no packet-ins), or 128 when the config has a {@link PacketInSink}
 * (the audit log; docs/ovs-notes.md §5.3: a service connection receives async messages only then),
 * or OFPCML_NO_BUFFER followed by NXT_SET_PACKET_IN_FORMAT(NXT_PACKET_IN2) when the sink {@link
 * PacketInSink#wantsContinuations() wants continuations} (§2.7). Then this handler removes itself and an {@link
 * OfConnection} takes over the channel. Failing any step, or the TLS handshake, or the timeout,
 * closes the channel and fails {@code result} with {@link SwitchConnectException}.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write/close/schedule futures: failures reach exceptionCaught or
// channelInactive
final class Handshake extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Handshake.class);

    /** Non-zero to enable async messages; the controller action's own max_len bounds the copies. */
    static final int AUDIT_MISS_SEND_LEN = 128;

    private final String target;
    private final boolean tls;
    private final ConnectionConfig config;
    private final CompletableFuture<OfConnection> result;
    private final AtomicLong xids = new AtomicLong(1);
    private String remote;
    private long featuresXid = -1;
    private ScheduledFuture<?> timeout;
    private boolean started;

    /** {@code target} names the peer in errors until its address is known. */
    Handshake(String target, boolean tls, ConnectionConfig config, CompletableFuture<OfConnection> result) {
        this.target = target;
        this.remote = target;
        this.tls = tls;
        this.config = config;
        this.result = result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    private void begin(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        remote = describe(ctx.channel().remoteAddress(), tls).orElse(target);
        ctx.channel().attr(ChannelSetup.NAME).set(remote);
        long ms = config.handshakeTimeout().toMillis();
        timeout = ctx.executor()
                .schedule(
                        () -> fail(
                                ctx,
                                new SwitchConnectException(
                                        remote + ": no OpenFlow handshake within " + ms
                                                + " ms (is it an OpenFlow 1.3 switch, and does it accept our TLS certificate?)")),
                        ms,
                        TimeUnit.MILLISECONDS);
        Optional.ofNullable(ctx.pipeline().get(SslHandler.class))
                .ifPresent(ssl -> ssl.handshakeFuture().addListener(f -> {
                    if (!f.isSuccess()) {
                        fail(ctx, tlsFailure(f.cause()));
                    }
                }));
        ctx.writeAndFlush(OfMessage.Hello.of13(xids.getAndIncrement()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof OfMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (m instanceof OfMessage.Hello h) {
            if (!h.supports13()) {
                fail(
                        ctx,
                        new SwitchConnectException(remote + " offers OpenFlow wire versions "
                                + new TreeSet<>(h.versions()) + " but not 1.3 (0x04)"));
                return;
            }
            featuresXid = xids.getAndIncrement();
            ctx.writeAndFlush(new OfMessage.FeaturesRequest(featuresXid));
        } else if (m instanceof OfMessage.FeaturesReply f && f.xid() == featuresXid) {
            PacketInSink sink = config.packetIns();
            boolean continuations = sink.wantsPacketIns() && sink.wantsContinuations();
            int missSendLen =
                    continuations ? OfMessage.SetConfig.NO_BUFFER : sink.wantsPacketIns() ? AUDIT_MISS_SEND_LEN : 0;
            ctx.write(new OfMessage.SetConfig(xids.getAndIncrement(), 0, missSendLen));
            if (continuations) {
                // Only an NXT_PACKET_IN2 carries a paused packet's continuation (docs/ovs-notes.md §2.7).
                ctx.write(new SetPacketInFormat(xids.getAndIncrement(), SetPacketInFormat.NXT_PACKET_IN2));
            }
            ctx.flush();
            timeout.cancel(false);
            ctx.pipeline().remove(this);
            Optional<PeerIdentity> peer = Optional.ofNullable(ctx.pipeline().get(SslHandler.class))
                    .flatMap(ssl -> PeerIdentity.of(ssl.engine().getSession()));
            OfConnection conn = new OfConnection(ctx.channel(), f.datapathId(), remote, peer, config, xids).start();
            MDC.put("dpid", f.datapathId().toString());
            try {
                log.info("connected to {}", conn);
            } finally {
                MDC.remove("dpid");
            }
            if (!result.complete(conn)) {
                conn.close();
            }
        } else if (m instanceof OfMessage.EchoRequest e) {
            ctx.writeAndFlush(e.reply());
        } else if (m instanceof ErrorMsg e) {
            fail(ctx, new SwitchConnectException(remote + " refused the OpenFlow handshake: " + e.describe()));
        } else {
            log.debug("{}: ignoring {} during the handshake", remote, m);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(
                ctx,
                cause.getCause() instanceof SSLException
                        ? tlsFailure(cause.getCause())
                        : new SwitchConnectException(remote + ": " + cause.getMessage(), cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(
                ctx,
                new SwitchConnectException(remote + " closed the connection during the OpenFlow handshake"
                        + (tls ? " (it may have refused our TLS certificate)" : "")));
        ctx.fireChannelInactive();
    }

    private SwitchConnectException tlsFailure(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            // its message carries the peer's bytes in hex: different on every attempt, and no help
            return new SwitchConnectException(
                    "TLS handshake with " + remote + " failed: the peer does not speak TLS (a switch dialling tcp:"
                            + " to a pssl: listener, or not a switch)",
                    cause);
        }
        String m = String.valueOf(cause.getMessage());
        String hint = m.contains("fatal alert")
                ? " (the peer did not accept our certificate, or we had none it accepts: it must be signed by a CA"
                        + " the peer trusts)"
                : m.contains("Empty client certificate chain")
                        ? " (the peer presented no certificate; a switch needs one signed by our CA)"
                        : m.contains("PKIX") || m.contains("certificate")
                                ? " (the peer's certificate does not chain to our CA)"
                                : "";
        return new SwitchConnectException("TLS handshake with " + remote + " failed: " + m + hint, cause);
    }

    private void fail(ChannelHandlerContext ctx, SwitchConnectException e) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (result.completeExceptionally(e)) {
            log.debug("handshake failed", e);
        }
        ctx.close();
    }

    /** {@code tcp:IP:PORT} / {@code ssl:IP:PORT} of an IP peer; empty for unix sockets (no useful peer name). */
    static Optional<String> describe(SocketAddress address, boolean tls) {
        if (address instanceof InetSocketAddress a && a.getAddress() != null) {
            String ip = a.getAddress().getHostAddress();
            return Optional.of((tls ? "ssl:" : "tcp:") + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort());
        }
        return Optional.empty();
    }
}
