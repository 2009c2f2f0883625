package io.ovsanp.controller.kube;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The Kubernetes client's own connection failures, as its HTTP layer reports them to interceptors
 * ({@link Interceptor#afterConnectionFailure}: a request of any kind, list, watch or update, that
 * could not reach the server, reported before the client retries it). Keeps the latest one, so that
 * {@link ApiConnectivity} can say why the API is lost. Thread-safe.
 */
public final class ApiFailures implements Interceptor {
    private static final String NAME = "ovs-anp-api-failures";

    /**
     * One failure.
     *
     * @param atNanos when, on the clock this was made with ({@link System#nanoTime()} by default)
     * @param cause what the client said, one line
     */
    public record Failure(long atNanos, String cause) {
        public Failure {
            Objects.requireNonNull(cause);
        }
    }

    private final LongSupplier nanoTime;
    private final AtomicReference<Failure> latest = new AtomicReference<>();

    public ApiFailures(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime);
    }

    public ApiFailures() {
        this(System::nanoTime);
    }

    /** {@code builder}'s client reports its connection failures here. */
    public KubernetesClientBuilder installIn(KubernetesClientBuilder builder) {
        return builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(NAME, this));
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        latest.set(new Failure(nanoTime.getAsLong(), describe(failure)));
    }

    /** The most recent failure, if any. */
    public Optional<Failure> latest() {
        return Optional.ofNullable(latest.get());
    }

    /**
     * One line for a user: the message of the innermost wrapper that is not just a future's, e.g.
     * {@code Connection refused: /10.0.0.1:6443}; an unknown host is named as such (its message is the
     * bare name).
     */
    static String describe(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (t instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        return message == null || message.isBlank()
                ? t.getClass().getSimpleName()
                : message.strip().lines().findFirst().orElse(message);
    }
}
