package io.ovsanp.controller.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ControllerLoop}'s own thread, on which all its bookkeeping runs: tasks from any thread
 * run there in order; a task that throws is logged and the thread goes on; after {@link #close()}
 * tasks are dropped.
 */
final class LoopThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);

    private final ScheduledExecutorService thread;
    private volatile boolean closed;

    LoopThread(String name) {
        this.thread = Executors.newSingleThreadScheduledExecutor(threads(name));
    }

    /** Daemon threads named {@code prefix-N}. */
    static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    boolean closed() {
        return closed;
    }

    void execute(Runnable r) {
        if (closed) return;
        try {
            thread.execute(guarded(r));
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    void schedule(Runnable r, long delayMs) {
        if (closed) return;
        try {
            thread.schedule(guarded(r), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    void every(Runnable r, long periodMs) {
        thread.scheduleWithFixedDelay(guarded(r), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code s} on the thread and waits (10 s at most) for its answer. */
    <T> T call(Supplier<T> s) throws InterruptedException {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> f.complete(s.get()));
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("controller loop does not answer", e);
        }
    }

    private static Runnable guarded(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("controller loop step failed", e);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
