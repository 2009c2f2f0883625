package io.ovsanp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A command that keeps running while the test works with it ({@code ovs-anp run}, {@code sync}
 * without {@code --once}, an {@code nc -lk} server), started by {@link Command#start()}. Its output
 * is read from the files it writes, never from a pipe, so nothing must drain it. {@link #close()}
 * stops it (SIGTERM, then SIGKILL) if the test left it running; it signals only its own pid.
 */
public final class BackgroundProcess implements AutoCloseable {
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final List<String> command;
    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final Path ownDir;

    BackgroundProcess(List<String> command, Process process, Path stdoutFile, Path stderrFile, Path ownDir) {
        this.command = List.copyOf(command);
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
        this.ownDir = ownDir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it wrote to standard output so far (with {@link Command#mergeStderr()}: both streams). */
    public String stdout() {
        return read(stdoutFile);
    }

    /** What it wrote to standard error so far; empty when merged into {@link #stdout()}. */
    public String stderr() {
        return stderrFile == null ? "" : read(stderrFile);
    }

    /** Everything it printed so far: standard output, then standard error. */
    public String output() {
        return stdout() + stderr();
    }

    /** The lines printed so far that contain {@code text}. */
    public List<String> lines(String text) {
        return output().lines().filter(l -> l.contains(text)).toList();
    }

    /**
     * Waits for {@code condition}, polled every 100 ms (it often runs a program or asks a server),
     * failing with everything the process printed when it does not come.
     */
    public void waitFor(BooleanSupplier condition, Duration timeout, String what) {
        try {
            Wait.until(condition, timeout, Duration.ofMillis(100), what);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "; " + this + " printed:\n" + output(), e);
        }
    }

    /**
     * SIGTERM, then waits up to {@code limit} for it to exit. Returns how long that took, or null if
     * it did not exit in time.
     */
    public Duration terminate(Duration limit) throws InterruptedException {
        long t0 = System.nanoTime();
        process.toHandle().destroy();
        boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        return exited ? Duration.ofNanos(System.nanoTime() - t0) : null;
    }

    /** The exit status once it has exited; waits up to {@code limit}, else throws. */
    public int exitValue(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(this + " still runs after " + limit);
        }
        return process.exitValue();
    }

    /** Stops it if it still runs (SIGTERM, SIGKILL after 10 s) and deletes the output files it chose itself. */
    @Override
    public void close() {
        try {
            if (process.isAlive() && terminate(CLOSE_GRACE) == null) {
                process.destroyForcibly();
                process.waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            if (ownDir != null) {
                Command.deleteQuietly(stdoutFile);
                Command.deleteQuietly(stderrFile);
                Command.deleteQuietly(ownDir);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Command.text(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "pid " + process.pid() + " " + String.join(" ", command);
    }
}
