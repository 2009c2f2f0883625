package io.ovsanp.controller.openflow;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ovsanp.controller.openflow.wire.DatapathId;
import io.ovsanp.controller.openflow.wire.OfDecoder;
import io.ovsanp.controller.openflow.wire.OfEncoder;
import io.ovsanp.controller.openflow.wire.OfMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@link OfConnection} on an {@link EmbeddedChannel}: the test plays the switch, feeding
 * messages in with {@link #in} and reading what the connection wrote, decoded, with {@link #out}.
 * Futures complete on the calling thread; time is frozen until {@link #advance}.
 */
final class Wiretap implements AutoCloseable {
    static final DatapathId DPID = new DatapathId(0xabcdeL);

    final EmbeddedChannel channel = new EmbeddedChannel(new OfEncoder());
    final OfConnection conn;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new OfDecoder());

    Wiretap() {
        this(ConnectionConfig.withEchoInterval(Duration.ofSeconds(5)));
    }

    Wiretap(ConnectionConfig config) {
        channel.freezeTime();
        conn = OfConnection.attach(
                channel,
                DPID,
                "embedded",
                new ConnectionConfig(
                        config.echoInterval(), config.deadAfter(), config.handshakeTimeout(), Runnable::run));
    }

    /** Delivers {@code messages} as if the switch sent them, then runs whatever they triggered. */
    void in(OfMessage... messages) {
        for (OfMessage m : messages) {
            channel.writeInbound(m);
        }
        channel.runPendingTasks();
    }

    /** Everything written since the last call, decoded; runs pending tasks first (bundle batches). */
    List<OfMessage> out() {
        for (int i = 0; i < 10_000 && channel.hasPendingTasks(); i++) {
            channel.runPendingTasks();
        }
        List<OfMessage> messages = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            decoder.writeInbound((ByteBuf) o);
            for (Object m; (m = decoder.readInbound()) != null; ) {
                messages.add((OfMessage) m);
            }
        }
        return messages;
    }

    void advance(Duration d) {
        channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }
}
