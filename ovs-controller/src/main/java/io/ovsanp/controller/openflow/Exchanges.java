package io.ovsanp.controller.openflow;

import io.ovsanp.controller.openflow.wire.BundleAdd;
import io.ovsanp.controller.openflow.wire.DumpedFlow;
import io.ovsanp.controller.openflow.wire.ErrorMsg;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.openflow.wire.FlowStatsReply;
import io.ovsanp.controller.openflow.wire.MeterMod;
import io.ovsanp.controller.openflow.wire.OfMessage;
import io.ovsanp.controller.openflow.wire.Resume;
import io.ovsanp.controller.openflow.wire.SetPacketInFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests in flight on one connection, keyed by xid (OpenFlow 1.3 §6.1: a reply carries its
 * request's xid), and the bundles being written. Confined to the channel's event loop: every
 * method runs there, so nothing here is synchronised.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write/close/schedule futures: failures reach exceptionCaught or
// channelInactive
final class Exchanges {
    private static final Logger log = LoggerFactory.getLogger(Exchanges.class);

    /** One outstanding xid; {@link #onMessage} returns true when no further message is expected. */
    interface Pending {
        boolean onMessage(OfMessage m);

        void fail(Throwable cause);

        static Pending of(Predicate<OfMessage> onMessage, Consumer<Throwable> onFailure) {
            return new Pending() {
                @Override
                public boolean onMessage(OfMessage m) {
                    return onMessage.test(m);
                }

                @Override
                public void fail(Throwable cause) {
                    onFailure.accept(cause);
                }
            };
        }
    }

    private final OfConnection conn;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final List<BundleTransaction> bundles = new ArrayList<>();
    private final ArrayDeque<Runnable> awaitingWritable = new ArrayDeque<>();
    private Throwable closed;

    Exchanges(OfConnection conn) {
        this.conn = conn;
    }

    /** Registers {@code p} for {@code xid}; false (and {@code p} failed) if the xid is taken or we are closed. */
    boolean register(long xid, Pending p) {
        if (closed != null) {
            p.fail(closed);
            return false;
        }
        if (pending.putIfAbsent(xid, p) != null) {
            p.fail(new IllegalArgumentException("xid 0x" + Long.toHexString(xid) + " is already in flight"));
            return false;
        }
        return true;
    }

    /** Sends {@code m} and completes {@code f} with its reply (see {@link OfConnection#request}). */
    void request(OfMessage m, CompletableFuture<OfMessage> f) {
        if (!expectsNoReply(m)) {
            if (register(m.xid(), single(f))) {
                send(m);
            }
            return;
        }
        // Only an error would answer; the barrier after it says "no error came" (docs/ovs-notes.md §5.7).
        long barrier = conn.nextXid();
        Pending onError = single(f);
        if (!register(m.xid(), onError)) {
            return;
        }
        Pending onBarrier = Pending.of(
                reply -> {
                    pending.remove(m.xid(), onError);
                    return single(f).onMessage(reply);
                },
                f::completeExceptionally);
        if (register(barrier, onBarrier)) {
            send(m);
            send(new OfMessage.BarrierRequest(barrier));
        } else {
            pending.remove(m.xid(), onError);
        }
    }

    /** Collects every part of a multipart flow-stats reply (OFPMPF_REPLY_MORE, OpenFlow 1.3 §7.3.5). */
    void dump(OfMessage request, CompletableFuture<List<DumpedFlow>> f) {
        List<DumpedFlow> flows = new ArrayList<>();
        Pending collect = Pending.of(
                m -> {
                    if (m instanceof FlowStatsReply r) {
                        flows.addAll(r.flows());
                        if (r.more()) {
                            return false;
                        }
                        f.complete(List.copyOf(flows));
                    } else if (m instanceof ErrorMsg e) {
                        f.completeExceptionally(new OfErrorException(conn.name(), e));
                    } else {
                        f.completeExceptionally(
                                new IllegalStateException(conn.name() + " answered a flow-stats request with " + m));
                    }
                    return true;
                },
                f::completeExceptionally);
        if (register(request.xid(), collect)) {
            send(request);
        }
    }

    void startBundle(BundleTransaction b) {
        bundles.add(b);
        b.start();
    }

    void bundleDone(BundleTransaction b) {
        bundles.remove(b);
    }

    /** Routes one message from the switch to whoever waits for its xid. */
    void dispatch(OfMessage m) {
        Pending p = pending.get(m.xid());
        if (p != null) {
            if (p.onMessage(m)) {
                pending.remove(m.xid(), p);
            }
            return;
        }
        if (m instanceof ErrorMsg e) {
            for (BundleTransaction b : bundles) {
                if (b.ownsAddXid(e.xid())) {
                    b.onAddError(e);
                    return;
                }
            }
            log.warn("{} sent an error for no request of ours: {}", conn.name(), e.describe());
        } else if (!(m instanceof OfMessage.EchoReply)) {
            log.debug("{} sent unsolicited {}", conn.name(), m);
        }
    }

    /** Writes and flushes; a failed write fails whoever waits for the message's xid. */
    void send(OfMessage m) {
        conn.channel().writeAndFlush(m).addListener(w -> {
            if (!w.isSuccess()) {
                failXid(m.xid(), w.cause());
            }
        });
    }

    void failXid(long xid, Throwable cause) {
        Pending p = pending.remove(xid);
        if (p != null) {
            p.fail(cause);
        }
    }

    /** Runs {@code r} once the channel accepts writes again (Netty's write-buffer high water mark). */
    void whenWritable(Runnable r) {
        if (conn.channel().isWritable() || closed != null) {
            conn.channel().eventLoop().execute(r);
        } else {
            awaitingWritable.add(r);
        }
    }

    void writabilityChanged() {
        while (conn.channel().isWritable() && !awaitingWritable.isEmpty()) {
            awaitingWritable.poll().run();
        }
    }

    boolean isClosed() {
        return closed != null;
    }

    /** Fails everything in flight with {@code cause}; later registrations fail at once. */
    void close(Throwable cause) {
        if (closed != null) {
            return;
        }
        closed = cause;
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        all.forEach(p -> p.fail(cause));
        awaitingWritable.clear();
        new ArrayList<>(bundles).forEach(b -> b.fail(cause));
    }

    private Pending single(CompletableFuture<OfMessage> f) {
        return Pending.of(
                m -> {
                    if (m instanceof ErrorMsg e) {
                        f.completeExceptionally(new OfErrorException(conn.name(), e));
                    } else {
                        f.complete(m);
                    }
                    return true;
                },
                f::completeExceptionally);
    }

    /** Messages OVS answers only when they fail. */
    private static boolean expectsNoReply(OfMessage m) {
        return m instanceof FlowMod
                || m instanceof OfMessage.SetConfig
                || m instanceof BundleAdd
                || m instanceof MeterMod
                || m instanceof SetPacketInFormat
                || m instanceof Resume;
    }
}
