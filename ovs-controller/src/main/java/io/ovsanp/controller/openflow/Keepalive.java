package io.ovsanp.controller.openflow;

import io.netty.util.concurrent.ScheduledFuture;
import io.ovsanp.controller.openflow.wire.Bytes;
import io.ovsanp.controller.openflow.wire.OfMessage;
import java.util.concurrent.TimeUnit;

/**
 * Our side of liveness (docs/ovs-notes.md §5.3): after {@code echoInterval} without any message from the
 * switch we send ECHO_REQUEST (again every interval); after {@code deadAfter} we close the
 * connection as dead. Silence is counted in ticks of a quarter of the shorter period on the event
 * loop, so a read costs one field write and the resolution is a quarter interval. Event-loop confined.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write/close/schedule futures: failures reach exceptionCaught or
// channelInactive
final class Keepalive implements Runnable {
    private final OfConnection conn;
    private final long echoNanos;
    private final long deadNanos;
    private final long tickNanos;
    private boolean heard;
    private long silentNanos;
    private long lastEchoAt;
    private ScheduledFuture<?> task;

    Keepalive(OfConnection conn, ConnectionConfig config) {
        this.conn = conn;
        this.echoNanos = config.echoInterval().toNanos();
        this.deadNanos = config.deadAfter().toNanos();
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(echoNanos, deadNanos) / 4);
    }

    void start() {
        task = conn.channel().eventLoop().scheduleAtFixedRate(this, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Any message from the switch proves it alive. */
    void heard() {
        heard = true;
    }

    @Override
    public void run() {
        if (heard) {
            heard = false;
            silentNanos = 0;
            lastEchoAt = 0;
            return;
        }
        silentNanos += tickNanos;
        if (silentNanos >= deadNanos) {
            stop();
            conn.closeAsDead(silentNanos);
        } else if (silentNanos >= echoNanos && silentNanos - lastEchoAt >= echoNanos) {
            lastEchoAt = silentNanos;
            conn.channel().writeAndFlush(new OfMessage.EchoRequest(conn.nextXid(), Bytes.EMPTY));
        }
    }
}
