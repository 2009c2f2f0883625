package io.ovsanp.controller.status;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One daemon thread that runs a flush on request, coalescing (many requests while one is queued, one
 * flush), and again after {@code retryAfter} when asked to retry. What the status writers share: their
 * listener methods only record and {@link #request()}; the API calls happen here, off the loop's thread.
 */
final class Flusher implements AutoCloseable {
    private final Runnable flush;
    private final Duration retryAfter;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean queued = new AtomicBoolean();

    Flusher(String threadName, Duration retryAfter, Runnable flush) {
        this.flush = flush;
        this.retryAfter = retryAfter;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues one flush unless one is queued already. Never blocks, never throws. */
    void request() {
        if (queued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    queued.set(false);
                    flush.run();
                });
            } catch (RejectedExecutionException e) {
                queued.set(false); // closed
            }
        }
    }

    /** A flush again after {@code retryAfter} (nothing once closed). */
    void retryLater() {
        try {
            executor.schedule(this::request, retryAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: nothing more to write
        }
    }

    /** Waits until every flush requested before this call has run. */
    void drain(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            executor.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
