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

    /** Several sources as one (e.g. one agent source per node of a test): started and closed together. */
    static SwitchSource all(java.util.List<? extends SwitchSource> sources) {
        java.util.List<SwitchSource> copy = java.util.List.copyOf(sources);
        return new SwitchSource() {
            @Override
            public void start(Sink sink) {
                copy.forEach(s -> s.start(sink));
            }

            @Override
            public void close() {
                RuntimeException first = null;
                for (SwitchSource s : copy) {
                    try {
                        s.close();
                    } catch (RuntimeException e) {
                        if (first == null) first = e;
                        else first.addSuppressed(e);
                    }
                }
                if (first != null) throw first;
            }
        };
    }
}
