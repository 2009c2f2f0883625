package io.ovsanp.it.ovs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command with extra environment variables and a timeout, capturing stdout and
 * stderr.
 *
 * <p>Output goes to temporary files rather than pipes: the OVS daemons are started with
 * {@code --detach}, and a pipe inherited by a daemon would keep us waiting for an end of file that
 * never comes. Standard input, when given, is likewise fed from a temporary file, so a command that
 * stops reading early can neither block nor break the caller.
 */
final class Cmd {
    private final Map<String, String> env;
    private final Duration timeout;

    Cmd(Map<String, String> env, Duration timeout) {
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    /** The outcome of a finished command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public Result {
            command = List.copyOf(command);
        }

        boolean ok() {
            return exitCode == 0;
        }

        List<String> stdoutLines() {
            return stdout.lines().toList();
        }
    }

    /** A command that failed, timed out or could not be started; the message says which and why. */
    static final class CmdException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CmdException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs {@code command} and throws {@link CmdException} unless it exits with status 0. */
    Result run(String... command) {
        return check(exec(null, List.of(command)));
    }

    /** Like {@link #run} with {@code stdin} as the command's standard input. */
    Result runWithInput(String stdin, String... command) {
        return check(exec(stdin, List.of(command)));
    }

    /** Runs {@code command} and returns its result whatever the exit status (for cleanup paths). */
    Result tryRun(String... command) {
        return exec(null, List.of(command));
    }

    private static Result check(Result r) {
        if (!r.ok()) {
            throw new CmdException(
                    "command " + r.command() + " exited with status " + r.exitCode() + "; stderr: "
                            + r.stderr().strip() + describeStdout(r),
                    null);
        }
        return r;
    }

    private static String describeStdout(Result r) {
        return r.stdout().isBlank() ? "" : "; stdout: " + r.stdout().strip();
    }

    private Result exec(String stdin, List<String> command) {
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("ovsanp-cmd-", ".out");
            err = Files.createTempFile("ovsanp-cmd-", ".err");
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            if (stdin == null) {
                pb.redirectInput(
                        ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            } else {
                in = Files.createTempFile("ovsanp-cmd-", ".in");
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                pb.redirectInput(in.toFile());
            }
            Process p = start(pb, command);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new CmdException(
                        "command " + command + " timed out after " + timeout + "; stderr so far: "
                                + Files.readString(err, StandardCharsets.UTF_8).strip(),
                        null);
            }
            return new Result(
                    command,
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("capturing output of " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CmdException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    private static Process start(ProcessBuilder pb, List<String> command) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new CmdException("command " + command + " could not be started: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // A leftover temp file is harmless; the command's own outcome matters more.
        }
    }
}
