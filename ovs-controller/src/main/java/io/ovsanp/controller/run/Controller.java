package io.ovsanp.controller.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller, composed in one place: a {@link ClusterSource} (informers, files, a test's feed) and
 * a {@link SwitchSource} (the agent's one switch, central mode's listener) with the {@link
 * ControllerLoop} between them and its {@link RealisationListener}s. {@code ovs-anp run} (agent and
 * central), continuous {@code ovs-anp sync} and the tests all start it here. Realisation failures are
 * logged at WARN; a switch source that is itself a listener (central mode maps switches by the
 * snapshot's nodes) hears the loop too. Closing stops the switch source first (no new connections),
 * then the loop.
 */
public final class Controller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

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
        List<RealisationListener> all = new ArrayList<>();
        all.add(new FailureLog());
        all.addAll(listeners);
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

    /** Realisation failures at WARN (the loop logs its own summaries and retries). */
    private static final class FailureLog implements RealisationListener {
        @Override
        public void failed(String node, String reason) {
            LOG.warn("node={} not realised: {} (its previous flows stay)", node, reason);
        }
    }
}
