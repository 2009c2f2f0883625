package io.ovsanp.controller.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The controller, composed in one place: a {@link ClusterSource} (informers, files, a test's feed) and
 * a {@link SwitchSource} (the agent's one switch, central mode's listener) with the {@link
 * ControllerLoop} between them and its {@link RealisationListener}s. {@code ovs-anp run} (agent and
 * central), continuous {@code ovs-anp sync} and the tests all start it here. A switch source that is
 * itself a listener (central mode maps switches by the snapshot's nodes) hears the loop too. Closing stops the switch source first (no new connections),
 * then the loop.
 */
public final class Controller implements AutoCloseable {
    private final SwitchSource switches;
    private final ControllerLoop loop;

    private Controller(SwitchSource switches, ControllerLoop loop) {
        this.switches = switches;
        this.loop = loop;
    }

    /** Starts following {@code cluster} and accepting {@code switches}' connections. */
    public static Controller start(
            ClusterSource cluster, SwitchSource switches, LoopOptions options, List<RealisationListener> listeners) {
        Objects.requireNonNull(switches);
        List<RealisationListener> all = new ArrayList<>(listeners);
        if (switches instanceof RealisationListener l) {
            all.add(l);
        }
        ControllerLoop loop = new ControllerLoop(cluster, all, options);
        try {
            loop.start();
            switches.start(loop);
        } catch (RuntimeException e) {
            loop.close();
            throw e;
        }
        return new Controller(switches, loop);
    }

    public ControllerLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        try {
            switches.close();
        } finally {
            loop.close();
        }
    }
}
