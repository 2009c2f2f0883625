package io.ovsanp.controller.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Running programs and waiting for conditions in tests. */
public final class Commands {
    private Commands() {}

    public static void waitUntil(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Runs {@code command} (env pairs added), 60 s at most; returns stdout, or throws if {@code check}
     * and it fails. Output goes to files, not pipes: a --detach daemon inheriting a pipe would keep
     * us waiting for an end of file.
     */
    public static String run(List<String> command, boolean check, String... env) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("ovsanp-cmd", ".out");
            err = Files.createTempFile("ovsanp-cmd", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            for (int i = 0; i < env.length; i += 2) {
                pb.environment().put(env[i], env[i + 1]);
            }
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + Files.readString(err));
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            if (p != null) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }
}
