package io.ovsanp.controller.run;

import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.PacketInSink;
import io.ovsanp.controller.openflow.wire.PacketIn;

/**
 * The packet-in sink of a running controller's connections, made before its loop: copies (the audit
 * log's) go to {@code copies}; paused packets (DNS answers) to the loop's {@link
 * ControllerLoop#dnsAnswers()} once {@link #attach attached}, and are resumed unread before that (the
 * answer then teaches nothing: fail-closed for {@code domainNames} rules).
 */
public final class PacketInRelay implements PacketInSink {
    private final PacketInSink copies;
    private volatile PacketInSink paused;

    public PacketInRelay(PacketInSink copies) {
        this.copies = copies;
    }

    public void attach(PacketInSink loopSink) {
        this.paused = loopSink;
    }

    @Override
    public void accept(OfConnection from, PacketIn p) {
        if (p.continuation().isEmpty()) {
            copies.accept(from, p);
            return;
        }
        PacketInSink to = paused;
        if (to != null) {
            to.accept(from, p);
        } else {
            from.resume(p);
        }
    }

    @Override
    public boolean wantsContinuations() {
        return true;
    }

    @Override
    public void connected(OfConnection connection) {
        copies.connected(connection);
    }
}
