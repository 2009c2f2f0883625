package io.ovsanp.controller.openflow;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.ovsanp.controller.openflow.wire.DatapathId;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.openflow.wire.ErrorMsg;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.openflow.wire.FlowStatsReply;
import io.ovsanp.controller.openflow.wire.FlowStatsRequest;
import io.ovsanp.controller.openflow.wire.OfMessage;
import io.ovsanp.controller.openflow.wire.PacketIn;
import io.ovsanp.controller.openflow.wire.Resume;
import io.ovsanp.controller.openflow.wire.RoleMessage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One OpenFlow 1.3 connection to one switch, after the handshake (HELLO, FEATURES, SET_CONFIG).
 * Every method may be called from any thread and never blocks; the work runs on the channel's event
 * loop and the returned futures complete on {@link ConnectionConfig#callbacks()}. When the channel
 * closes, for whatever reason, everything in flight fails with {@link ConnectionClosedException}.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write/close/schedule futures: failures reach exceptionCaught or
// channelInactive
public final class OfConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OfConnection.class);
    /** Every message in and out, at TRACE (docs/style.md, "Logging"). */
    static final Logger RAW = LoggerFactory.getLogger("io.ovsanp.openflow.raw");

    private static final long MASK = 0xffff_ffffL;

    private final Channel channel;
    private final DatapathId datapathId;
    private final String remote;
    private final ConnectionConfig config;
    private final AtomicLong xids;
    private final Exchanges exchanges = new Exchanges(this);
    private final Keepalive keepalive;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final String name;
    private final Optional<PeerIdentity> peer;
    private volatile String closeReason;
    private long bundleIds = 1; // event loop only

    /**
     * {@code xids} continues the handshake's counter, so no xid repeats on the connection; {@code peer}
     * is what the peer's TLS certificate proved (empty without TLS).
     */
    OfConnection(
            Channel channel,
            DatapathId datapathId,
            String remote,
            Optional<PeerIdentity> peer,
            ConnectionConfig config,
            AtomicLong xids) {
        this.channel = Objects.requireNonNull(channel);
        this.peer = Objects.requireNonNull(peer);
        this.datapathId = Objects.requireNonNull(datapathId);
        this.remote = Objects.requireNonNull(remote);
        this.config = Objects.requireNonNull(config);
        this.xids = xids;
        this.keepalive = new Keepalive(this, config);
        this.name = "switch " + datapathId + " at " + remote;
    }

    /** Installs the dispatcher at the end of the pipeline and starts the keepalive; on the event loop. */
    OfConnection start() {
        channel.attr(ChannelSetup.NAME).set(name);
        channel.pipeline().addLast("ofconnection", new Dispatcher());
        keepalive.start();
        channel.closeFuture().addListener(f -> onClosed());
        config.packetIns().connected(this);
        return this;
    }

    public DatapathId datapathId() {
        return datapathId;
    }

    /**
     * The identity the peer proved with its TLS certificate (verified against our CA during the
     * handshake); empty for {@code unix:} and {@code tcp:} connections, which prove nothing.
     */
    public Optional<PeerIdentity> peerIdentity() {
        return peer;
    }

    /** {@code unix:PATH}, {@code tcp:IP:PORT} or {@code ssl:IP:PORT} of the peer. */
    public String remote() {
        return remote;
    }

    public boolean isActive() {
        return channel.isActive() && !closed.isDone();
    }

    /** Completes (normally) when the channel has closed, for whatever reason; see {@link #closeReason()}. */
    public CompletableFuture<Void> closeFuture() {
        return Futures.relay(closed, config.callbacks());
    }

    /** Why the connection closed ("closed by the switch", "dead: ...", ...); empty while open. */
    public Optional<String> closeReason() {
        return Optional.ofNullable(closeReason);
    }

    /**
     * Sends {@code m} and completes with the switch's reply, matched by xid (use {@link #nextXid()}).
     * An ERROR reply completes exceptionally with {@link OfErrorException}. A FLOW_MOD, SET_CONFIG or
     * BUNDLE_ADD (or another message OVS answers only on failure: METER_MOD, NXT_RESUME, ...) is
     * followed by a barrier and completes with the BARRIER_REPLY. For flow stats use {@link #dumpFlows}: this returns the first part only.
     */
    public CompletableFuture<OfMessage> request(OfMessage m) {
        if (m instanceof OfMessage.Hello
                || m instanceof OfMessage.EchoReply
                || m instanceof OfMessage.FeaturesReply
                || m instanceof OfMessage.BarrierReply
                || m instanceof FlowStatsReply
                || m instanceof ErrorMsg
                || (m instanceof RoleMessage r && r.reply())) {
            throw new IllegalArgumentException("not a request: " + m);
        }
        CompletableFuture<OfMessage> f = new CompletableFuture<>();
        onLoop(f, () -> exchanges.request(m, f));
        return Futures.relay(f, config.callbacks());
    }

    /** Sends {@code req} and collects every part of the reply (OVS splits at 64 KiB, docs/ovs-notes.md §5.6). */
    public CompletableFuture<List<DumpedFlow>> dumpFlows(FlowStatsRequest req) {
        CompletableFuture<List<DumpedFlow>> f = new CompletableFuture<>();
        onLoop(f, () -> exchanges.dump(req, f));
        return Futures.relay(f, config.callbacks());
    }

    /** Completes when the switch has processed everything sent before (docs/ovs-notes.md §5.7). */
    public CompletableFuture<Void> barrier() {
        return request(new OfMessage.BarrierRequest(nextXid())).thenApply(reply -> null);
    }

    /**
     * Applies {@code mods} atomically as one ONF bundle (docs/ovs-notes.md §2.5): OPEN, one BUNDLE_ADD per
     * flow-mod (each flow-mod re-numbered to its ADD's xid, as OVS requires), pipelined and flushed
     * in batches, then BARRIER. If any ADD drew an ERROR the bundle is DISCARDed, else COMMITted.
     * Completes with a {@link BundleResult} on COMMIT_REPLY, or exceptionally with {@link
     * BundleRejectedException} naming each refused flow-mod; the switch then keeps its old flows.
     */
    public CompletableFuture<BundleResult> bundle(List<FlowMod> mods) {
        List<FlowMod> copy = List.copyOf(mods);
        long base = xids.getAndAdd(BundleTransaction.xidsNeeded(copy.size())) & MASK;
        CompletableFuture<BundleResult> f = new CompletableFuture<>();
        onLoop(f, () -> exchanges.startBundle(new BundleTransaction(this, exchanges, bundleIds++, copy, base, f)));
        return Futures.relay(f, config.callbacks());
    }

    /**
     * Resumes a packet that {@code controller(pause)} stopped, by sending back what the switch sent
     * (NXT_RESUME, docs/ovs-notes.md §2.7), then a barrier. Completes when the switch has run the
     * packet on from where it stopped, or exceptionally with {@link OfErrorException} when it refused
     * (NXR_STALE: the bridge the packet was paused on is gone). The packet resumes on the bridge its
     * continuation names, even if this connection is another bridge's. The switch keeps no paused
     * packet: a packet never resumed is gone, and one resumed twice runs twice.
     *
     * @throws IllegalArgumentException if {@code paused} has no continuation ({@link PacketIn#isPaused()})
     *     or is truncated
     */
    public CompletableFuture<Void> resume(PacketIn paused) {
        return request(Resume.of(nextXid(), paused)).thenApply(reply -> null);
    }

    /**
     * Asks the switch to make this connection {@code role} (OpenFlow 1.3 §6.3.6); completes with the
     * ROLE_REPLY, or exceptionally with {@link OfErrorException} (OFPRRFC_STALE for a {@code
     * generationId} behind one the switch has seen).
     */
    public CompletableFuture<RoleMessage> requestRole(RoleMessage.Role role, long generationId) {
        return request(RoleMessage.request(nextXid(), role, generationId)).thenApply(reply -> {
            if (reply instanceof RoleMessage r && r.reply()) {
                return r;
            }
            throw new IllegalStateException(name + " answered a role request with " + reply);
        });
    }

    /** A fresh transaction id; unique on this connection until 2^32 more have been taken. */
    public long nextXid() {
        return xids.getAndIncrement() & MASK;
    }

    @Override
    public void close() {
        closeWith("closed locally");
    }

    @Override
    public String toString() {
        return name;
    }

    Channel channel() {
        return channel;
    }

    String name() {
        return name;
    }

    void closeAsDead(long silentNanos) {
        closeWith("dead: no message from the switch for " + silentNanos / 1_000_000 + " ms");
    }

    private void closeWith(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        channel.close();
    }

    private void onClosed() {
        if (closeReason == null) {
            closeReason = "closed by the switch";
        }
        keepalive.stop();
        exchanges.close(new ConnectionClosedException(name + ": connection " + closeReason));
        inMdc(() -> log.info("{}: connection {}", name, closeReason));
        closed.complete(null);
    }

    private <T> void onLoop(CompletableFuture<T> f, Runnable task) {
        Runnable guarded = () -> {
            try {
                if (exchanges.isClosed() || !channel.isActive()) {
                    f.completeExceptionally(new ConnectionClosedException(name + ": connection "
                            + Optional.ofNullable(closeReason).orElse("closed")));
                } else {
                    task.run();
                }
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        };
        try {
            channel.eventLoop().execute(guarded);
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new ConnectionClosedException(name + ": event loop shut down"));
        }
    }

    private void inMdc(Runnable r) {
        MDC.put("dpid", datapathId.toString());
        try {
            r.run();
        } finally {
            MDC.remove("dpid");
        }
    }

    /** Reads from the switch: echo answered at once, everything else to the xid's waiter. */
    private final class Dispatcher extends SimpleChannelInboundHandler<OfMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, OfMessage m) {
            keepalive.heard();
            if (m instanceof OfMessage.EchoRequest e) {
                ctx.writeAndFlush(e.reply());
                return;
            }
            if (m instanceof PacketIn p) {
                config.packetIns().accept(OfConnection.this, p);
                return;
            }
            inMdc(() -> exchanges.dispatch(m));
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            exchanges.writabilityChanged();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            inMdc(() -> log.warn("{}: closing after {}", name, cause.toString()));
            closeWith("closed after " + cause);
        }
    }

    /** For tests: a connection on {@code channel} that skipped the handshake. */
    static OfConnection attach(Channel channel, DatapathId dpid, String remote, ConnectionConfig config) {
        return attach(channel, dpid, remote, Optional.empty(), config);
    }

    /** For tests: as {@link #attach(Channel, DatapathId, String, ConnectionConfig)}, with a proven identity. */
    static OfConnection attach(
            Channel channel, DatapathId dpid, String remote, Optional<PeerIdentity> peer, ConnectionConfig config) {
        return new OfConnection(channel, dpid, remote, peer, config, new AtomicLong(1)).start();
    }
}
