package io.ovsanp.controller.run;

import io.ovsanp.controller.openflow.OfConnection;

/**
 * Where switch connections come from: in agent mode one local switch that is (re)connected with
 * backoff; in central mode every node's br-int connecting to our listener, mapped to its Node.
 */
public interface SwitchSource extends AutoCloseable {
    /** Receives connections as they come and go; called from connection threads. */
    interface Sink {
        /** {@code connection} is the switch of {@code node}, handshake done. */
        void connected(String node, OfConnection connection);

        /** {@code connection} (earlier reported for {@code node}) is gone. */
        void disconnected(String node, OfConnection connection);
    }

    /** Starts producing connections into {@code sink}. */
    void start(Sink sink);

    @Override
    void close();
}
