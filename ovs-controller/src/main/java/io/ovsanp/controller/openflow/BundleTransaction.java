package io.ovsanp.controller.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.ovsanp.controller.openflow.wire.BundleAdd;
import io.ovsanp.controller.openflow.wire.BundleControl;
import io.ovsanp.controller.openflow.wire.ErrorMsg;
import io.ovsanp.controller.openflow.wire.FlowMod;
import io.ovsanp.controller.openflow.wire.OfCodec;
import io.ovsanp.controller.openflow.wire.OfMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONF bundle as OVS's own client does it (lib/vconn.c {@code vconn_bundle_transact}, docs/ovs-notes.md
 * §2.5): OPEN, the BUNDLE_ADDs pipelined in batches without waiting, BARRIER; then DISCARD if any
 * ADD drew an error (OVS keeps the bundle open without the failed message, so committing would
 * install the rest), else COMMIT. Xids are one contiguous block: OPEN, the ADDs, BARRIER,
 * COMMIT/DISCARD. Confined to the connection's event loop.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write/close/schedule futures: failures reach exceptionCaught or
// channelInactive
final class BundleTransaction {
    private static final Logger log = LoggerFactory.getLogger(BundleTransaction.class);
    /** ATOMIC | ORDERED, what ovs-ofctl --bundle sends; every later message of the bundle repeats it. */
    static final int FLAGS = BundleControl.ATOMIC | BundleControl.ORDERED;
    /** BUNDLE_ADDs encoded into one buffer and flushed together: ~32 KiB of conjunction flows. */
    static final int BATCH = 256;

    private static final long MASK = 0xffff_ffffL;

    private final OfConnection conn;
    private final Exchanges exchanges;
    private final long bundleId;
    private final List<FlowMod> mods;
    private final long base;
    private final CompletableFuture<BundleResult> result;
    private final List<ErrorMsg> errors = new ArrayList<>();
    private int written;
    private long started;
    private long writtenAt;
    private long barrierAt;
    private boolean finished;

    /** {@code base} starts a block of {@code mods.size() + 3} xids reserved for this bundle. */
    BundleTransaction(
            OfConnection conn,
            Exchanges exchanges,
            long bundleId,
            List<FlowMod> mods,
            long base,
            CompletableFuture<BundleResult> result) {
        this.conn = conn;
        this.exchanges = exchanges;
        this.bundleId = bundleId;
        this.mods = List.copyOf(mods);
        this.base = base;
        this.result = result;
    }

    static int xidsNeeded(int mods) {
        return mods + 3;
    }

    private long xid(int i) {
        return (base + i) & MASK;
    }

    private long addXid(int index) {
        return xid(1 + index);
    }

    boolean ownsAddXid(long xid) {
        return ((xid - addXid(0)) & MASK) < mods.size();
    }

    void start() {
        started = System.nanoTime();
        control(xid(0), BundleControl.Type.OPEN_REQUEST, reply -> {
            if (reply instanceof ErrorMsg e) {
                errors.add(e); // the barrier then decides: discard
            }
        });
        writeBatch();
    }

    private void writeBatch() {
        if (finished) {
            return;
        }
        Channel ch = conn.channel();
        ByteBuf buf = ch.alloc().ioBuffer(BATCH * 160);
        int end = Math.min(mods.size(), written + BATCH);
        try {
            for (; written < end; written++) {
                long xid = addXid(written);
                BundleAdd add = new BundleAdd(xid, bundleId, FLAGS, FlowModText.withXid(mods.get(written), xid));
                OfCodec.write(add, buf);
                if (OfConnection.RAW.isTraceEnabled()) {
                    OfConnection.RAW.trace("{} out: {}", conn.name(), add);
                }
            }
        } catch (IllegalArgumentException e) {
            buf.release();
            abort(new IllegalArgumentException(
                    "cannot encode flow-mod " + written + " of bundle " + bundleId + " ("
                            + FlowModText.describe(mods.get(written)) + "): " + e.getMessage(),
                    e));
            return;
        }
        ch.writeAndFlush(buf);
        if (written < mods.size()) {
            exchanges.whenWritable(this::writeBatch);
        } else {
            writtenAt = System.nanoTime();
            control(xid(mods.size() + 1), null, this::afterBarrier);
        }
    }

    private void afterBarrier(OfMessage reply) {
        barrierAt = System.nanoTime();
        if (errors.isEmpty() && !(reply instanceof ErrorMsg)) {
            control(xid(mods.size() + 2), BundleControl.Type.COMMIT_REQUEST, this::afterCommit);
        } else {
            control(xid(mods.size() + 2), BundleControl.Type.DISCARD_REQUEST, discarded -> {
                if (discarded instanceof ErrorMsg e) {
                    log.warn("{}: discarding bundle {} failed: {}", conn.name(), bundleId, e.describe());
                }
                fail(rejected(Optional.empty()));
            });
        }
    }

    private void afterCommit(OfMessage reply) {
        if (reply instanceof BundleControl c && c.type() == BundleControl.Type.COMMIT_REPLY) {
            finished = true;
            exchanges.bundleDone(this);
            long elapsed = System.nanoTime() - started;
            long now = System.nanoTime();
            log.debug(
                    "{}: bundle {} of {} flow-mods committed in {} ms (written {} ms, barrier {} ms, commit {} ms)",
                    conn.name(),
                    bundleId,
                    mods.size(),
                    elapsed / 1_000_000,
                    (writtenAt - started) / 1_000_000,
                    (barrierAt - writtenAt) / 1_000_000,
                    (now - barrierAt) / 1_000_000);
            result.complete(new BundleResult(mods.size(), elapsed));
        } else if (reply instanceof ErrorMsg e) {
            fail(rejected(Optional.of(e)));
        } else {
            fail(new IllegalStateException(conn.name() + " answered COMMIT of bundle " + bundleId + " with " + reply));
        }
    }

    void onAddError(ErrorMsg e) {
        errors.add(e);
    }

    /** Sends a control message ({@code type} null: a barrier) and hands its reply to {@code then}. */
    private void control(long xid, BundleControl.Type type, Consumer<OfMessage> then) {
        if (finished) {
            return;
        }
        OfMessage m = type == null ? new OfMessage.BarrierRequest(xid) : new BundleControl(xid, bundleId, type, FLAGS);
        if (exchanges.register(
                xid,
                Exchanges.Pending.of(
                        reply -> {
                            then.accept(reply);
                            return true;
                        },
                        this::fail))) {
            exchanges.send(m);
        }
    }

    /** Our own failure mid-way (a flow-mod that cannot be encoded): discard what was sent. */
    private void abort(RuntimeException cause) {
        control(xid(mods.size() + 2), BundleControl.Type.DISCARD_REQUEST, reply -> {});
        fail(cause);
    }

    void fail(Throwable cause) {
        finished = true;
        exchanges.bundleDone(this);
        result.completeExceptionally(cause);
    }

    private BundleRejectedException rejected(Optional<ErrorMsg> commitError) {
        List<BundleRejectedException.Failure> failures = new ArrayList<>();
        for (ErrorMsg e : errors) {
            Optional<FlowMod> mod = e.failedRequest().flatMap(FlowModText::flowModIn);
            if (mod.isEmpty() && ownsAddXid(e.xid())) {
                mod = Optional.of(mods.get((int) ((e.xid() - addXid(0)) & MASK)));
            }
            String text = mod.map(FlowModText::describe)
                    .orElse(
                            e.xid() == xid(0)
                                    ? "bundle OPEN"
                                    : e.failedRequest()
                                            .map(Object::toString)
                                            .orElse(e.data().toString()));
            failures.add(new BundleRejectedException.Failure(e, mod, text));
        }
        return new BundleRejectedException(conn.name(), bundleId, failures, commitError);
    }
}
