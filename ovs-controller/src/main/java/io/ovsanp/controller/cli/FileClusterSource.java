package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterUpdate;
import io.ovsanp.controller.run.ClusterSource;
import io.ovsanp.controller.run.SnapshotFeed;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cluster of {@code --cluster} files for the controller's loop ({@code sync} without {@code
 * --once}): read at start, then again whenever a file's modification time moves (polled). A read that
 * fails (a malformed file, a duplicate, an emptied file) is reported and not used: the loop keeps the
 * last good snapshot, so the switch keeps its flows. A file that vanished between listing and reading
 * (an editor's or a script's rename) fails once and reads fine on the next poll: a failure is reported
 * once per distinct message, and the same message twice waits for the next change of the files.
 */
final class FileClusterSource implements ClusterSource, AutoCloseable {
    private final ClusterOptions cluster;
    private final PrintWriter err;
    private final SnapshotFeed feed = new SnapshotFeed();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ovs-anp-files");
        t.setDaemon(true);
        return t;
    });
    private long stamp;
    private String lastError;

    private FileClusterSource(ClusterOptions cluster, PrintWriter err) {
        this.cluster = cluster;
        this.err = err;
    }

    /** Reads the files once (bad input is thrown), then polls them every {@code interval}. */
    static FileClusterSource start(ClusterOptions cluster, Duration interval, PrintWriter err)
            throws SnapshotLoadException {
        FileClusterSource s = new FileClusterSource(cluster, Objects.requireNonNull(err));
        s.stamp = s.inputStamp();
        s.feed.set(cluster.load());
        long ms = Math.max(1, interval.toMillis());
        s.poller.scheduleWithFixedDelay(s::poll, ms, ms, TimeUnit.MILLISECONDS);
        return s;
    }

    private void poll() {
        long now = inputStamp();
        if (now == stamp) {
            return;
        }
        try {
            feed.set(cluster.load());
            stamp = now;
            if (lastError != null) {
                synchronized (err) {
                    err.println("the input is usable again; applying it");
                    err.flush();
                }
            }
            lastError = null;
        } catch (SnapshotLoadException | RuntimeException e) {
            String message = e.getMessage();
            if (Objects.equals(message, lastError)) {
                stamp = now; // the input itself: wait for the next change
                return;
            }
            lastError = message;
            synchronized (err) {
                String.valueOf(message).lines().forEach(l -> err.println("error: " + l));
                err.println("error: the input cannot be used; the switch keeps its previous flows");
                err.flush();
            }
        }
    }

    /** Newest modification time of the input files, to notice edits. */
    private long inputStamp() {
        long newest = 0;
        for (Path p : cluster.paths) {
            try (Stream<Path> files = Files.walk(p)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                newest = Long.MAX_VALUE; // vanished or unreadable: reload and let the loader report it
            }
        }
        return newest;
    }

    @Override
    public ClusterUpdate update() {
        return feed.update();
    }

    @Override
    public boolean ready() {
        return feed.ready();
    }

    @Override
    public void onChange(Runnable listener) {
        feed.onChange(listener);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
