package io.ovsanp.controller.openflow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Hands results computed on an event loop to callers without running their code on that loop. */
final class Futures {
    private Futures() {}

    /** A future completed like {@code internal}, with the same value or exception, on {@code executor}. */
    @SuppressWarnings("FutureReturnValueIgnored") // the whenComplete stage only forwards into out
    static <T> CompletableFuture<T> relay(CompletableFuture<T> internal, Executor executor) {
        CompletableFuture<T> out = new CompletableFuture<>();
        internal.whenComplete((v, e) -> {
            Runnable complete = () -> {
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(v);
                }
            };
            try {
                executor.execute(complete);
            } catch (RejectedExecutionException shutDown) {
                complete.run();
            }
        });
        return out;
    }
}
