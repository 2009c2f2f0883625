package io.ovsanp.controller.run;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The loop's {@link RealisationListener}s: a listener that throws is logged and never stops the loop. */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);

    private final List<RealisationListener> all = new CopyOnWriteArrayList<>();

    Listeners(List<RealisationListener> initial) {
        all.addAll(initial);
    }

    void add(RealisationListener l) {
        all.add(Objects.requireNonNull(l));
    }

    void notify(Consumer<RealisationListener> call) {
        for (RealisationListener l : all) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("listener {} failed (ignored)", l.getClass().getName(), e);
            }
        }
    }
}
