package io.ovsanp.it.vagrant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** A command run to completion with its output (stdout and stderr together) and exit status. */
record Sh(List<String> command, int exit, String output) {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    static Sh run(Map<String, String> env, String stdin, String... command) {
        try {
            Path out = Files.createTempFile("ovsanp-sh", ".out");
            Path in = Files.createTempFile("ovsanp-sh", ".in");
            try {
                Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
                ProcessBuilder pb = new ProcessBuilder(command)
                        .directory(REPO.toFile())
                        .redirectErrorStream(true)
                        .redirectInput(in.toFile())
                        .redirectOutput(out.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Sh(List.of(command), -1, "timed out");
                }
                return new Sh(List.of(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Sh run(String... command) {
        return run(Map.of(), null, command);
    }

    /** Like {@link #run(String...)}, failing the test unless the command exits 0. */
    static Sh ok(String... command) {
        Sh r = run(command);
        Assertions.assertEquals(0, r.exit(), () -> String.join(" ", command) + " failed:\n" + r.output());
        return r;
    }

    /** Skips (or, with {@code CI=true}, fails) unless {@code path} exists: CI installs every tool. */
    static void assumeInstalled(String what, boolean present) {
        if (!present) {
            String message = what + " is not installed (.ci/run installs it)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI=true, so this is a failure, not a skip: " + message);
            }
            Assumptions.abort(message);
        }
    }

    static void assumeTool(String tool) {
        assumeInstalled(tool, run("sh", "-c", "command -v " + tool).exit() == 0);
    }
}
