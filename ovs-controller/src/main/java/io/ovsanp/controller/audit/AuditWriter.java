package io.ovsanp.controller.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue and one thread that turns queued items into lines and writes them to a rotating
 * file and/or stdout. {@link #offer} never blocks: when the queue is full (the disk is slower than
 * the meter lets copies through) the item is dropped and counted, so a flood costs a fixed amount of
 * memory (the queue's capacity) whatever its rate. Items become lines on the writer thread, so the
 * caller (a Netty event loop) only enqueues.
 */
public final class AuditWriter<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final Object STOP = new Object();

    private final BlockingQueue<Object> queue;
    private final Function<T, Optional<String>> render;
    private final Optional<RotatingFile> file;
    private final Optional<PrintStream> stdout;
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    /**
     * @param render the line for an item, or empty to skip it (not ours, not parseable)
     * @param file where lines go with rotation, if anywhere
     * @param stdout where lines also go, if anywhere
     */
    AuditWriter(
            int capacity,
            Function<T, Optional<String>> render,
            Optional<RotatingFile> file,
            Optional<PrintStream> stdout) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.render = Objects.requireNonNull(render);
        this.file = Objects.requireNonNull(file);
        this.stdout = Objects.requireNonNull(stdout);
        this.thread = new Thread(this::run, "audit-log");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code item}; false (and counted) when the queue is full. */
    public boolean offer(T item) {
        boolean ok = queue.offer(item);
        if (!ok) dropped.incrementAndGet();
        return ok;
    }

    public long written() {
        return written.get();
    }

    /**
     * Items lost: the queue was full (also the one close() makes room for its stop marker with), or
     * the file could not take the line (it may have reached stdout already).
     */
    public long dropped() {
        return dropped.get();
    }

    /** Items that made no line (a copy of another owner's flow, a frame that names no connection). */
    public long skipped() {
        return skipped.get();
    }

    @SuppressWarnings("unchecked")
    private void run() {
        try {
            while (true) {
                Object o = queue.take();
                if (o == STOP) break;
                write((T) o);
                // Flush when idle, not per line: a burst costs one write system call per buffer.
                if (queue.isEmpty()) flush();
            }
            for (Object o; (o = queue.poll()) != null; ) {
                if (o != STOP) write((T) o);
            }
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(T item) {
        Optional<String> line;
        try {
            line = render.apply(item);
        } catch (RuntimeException e) {
            LOG.warn("audit log: could not describe a copied packet: {}", e.toString());
            skipped.incrementAndGet();
            return;
        }
        if (line.isEmpty()) {
            skipped.incrementAndGet();
            return;
        }
        stdout.ifPresent(s -> s.println(line.get()));
        if (file.isPresent()) {
            try {
                file.get().write(line.get());
            } catch (IOException e) {
                LOG.warn("audit log: writing failed: {}", e.toString());
                dropped.incrementAndGet();
                return;
            }
        }
        written.incrementAndGet();
    }

    private void flush() {
        stdout.ifPresent(PrintStream::flush);
        file.ifPresent(f -> {
            try {
                f.flush();
            } catch (IOException e) {
                LOG.warn("audit log: flush failed: {}", e.toString());
            }
        });
    }

    /** Writes what is queued, then stops the thread and closes the file. */
    @Override
    public void close() {
        while (!queue.offer(STOP)) {
            queue.poll(); // full: make room for the stop marker (one queued copy is lost)
            dropped.incrementAndGet();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        file.ifPresent(f -> {
            try {
                f.close();
            } catch (IOException e) {
                LOG.warn("audit log: close failed: {}", e.toString());
            }
        });
    }
}
