package io.ovsanp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One external command for a test: its arguments, extra environment variables, working directory,
 * standard input, timeout and network namespace, then {@link #run()} (the result whatever the exit
 * status), {@link #runOrThrow()} (a {@link CommandException} unless it exits 0) or {@link #start()}
 * (a {@link BackgroundProcess} that keeps running).
 *
 * <p>Output goes to temporary files rather than pipes: OVS daemons and the lab's scripts start
 * processes that outlive the command ({@code --detach}, {@code setsid}), and a pipe inherited by one
 * of them would keep us waiting for an end of file that never comes. Standard input is {@code
 * /dev/null} or a temporary file, so a command that stops reading early can neither block nor break
 * the caller.
 */
public final class Command {
    /** The exit status of a {@link Result} whose command did not end within its timeout. */
    public static final int TIMED_OUT = -1;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final List<String> argv;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> unset = new LinkedHashSet<>();
    private Path directory;
    private Duration timeout = DEFAULT_TIMEOUT;
    private String stdin;
    private boolean mergeStderr;
    private String netns;

    private Command(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program");
        }
        this.argv = List.copyOf(argv);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(argv);
    }

    /** Adds {@code name=value} to the environment the command inherits from this JVM. */
    public Command env(String name, String value) {
        env.put(name, value);
        unset.remove(name);
        return this;
    }

    public Command env(Map<String, String> variables) {
        variables.forEach(this::env);
        return this;
    }

    /** Removes {@code name} from the inherited environment (e.g. a log level of the caller's shell). */
    public Command unsetEnv(String name) {
        env.remove(name);
        unset.add(name);
        return this;
    }

    public Command directory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** At most this long (default 60 s); then it is killed (SIGKILL). */
    public Command timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public Command stdin(String text) {
        this.stdin = text;
        return this;
    }

    /** Standard error into the same file as standard output, interleaved as written: {@link Result#stderr()} is empty. */
    public Command mergeStderr() {
        this.mergeStderr = true;
        return this;
    }

    /** Runs it in network namespace {@code netns}, through {@code ip netns exec} (which execs it: the pid is the command's). */
    public Command inNetns(String name) {
        this.netns = name;
        return this;
    }

    /** What runs: the arguments, after {@code ip netns exec NETNS} when {@link #inNetns} was given. */
    public List<String> argv() {
        if (netns == null) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        wrapped.addAll(argv);
        return List.copyOf(wrapped);
    }

    /**
     * The outcome of a command that ended or timed out; {@code exit} is {@link #TIMED_OUT} when it
     * timed out, and then {@code stderr} ends with a line that says so.
     */
    public record Result(List<String> command, int exit, String stdout, String stderr, long millis) {
        public Result {
            command = List.copyOf(command);
        }

        public boolean ok() {
            return exit == 0;
        }

        public boolean timedOut() {
            return exit == TIMED_OUT;
        }

        /** Standard output, then standard error (with {@link Command#mergeStderr()}: both, as written). */
        public String output() {
            return stdout + stderr;
        }

        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }
    }

    /** Runs the command to its end (or its timeout); throws only when it cannot be started. */
    public Result run() {
        Path out = null;
        Path err = null;
        Path in = null;
        long start = System.nanoTime();
        try {
            out = Files.createTempFile("ovsanp-cmd-", ".out");
            err = mergeStderr ? null : Files.createTempFile("ovsanp-cmd-", ".err");
            if (stdin != null) {
                in = Files.createTempFile("ovsanp-cmd-", ".in");
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
            }
            Process p = start(processBuilder(out, err, in));
            boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String stderr = err == null ? "" : text(err);
            return new Result(
                    argv(),
                    ended ? p.exitValue() : TIMED_OUT,
                    text(out),
                    ended ? stderr : stderr + "\n(timed out after " + timeout + ")",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException("capturing the output of " + argv(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while running " + argv(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    /** {@link #run()}, throwing {@link CommandException} (with its stderr and stdout) unless it exits 0. */
    public Result runOrThrow() {
        Result r = run();
        if (r.timedOut()) {
            throw new CommandException("command " + argv() + " timed out after " + timeout + "; stderr so far: "
                    + r.stderr().strip() + describeStdout(r));
        }
        if (!r.ok()) {
            throw new CommandException("command " + argv() + " exited with status " + r.exit() + "; stderr: "
                    + r.stderr().strip() + describeStdout(r));
        }
        return r;
    }

    /** Starts the command and returns at once; its output goes to temporary files. */
    public BackgroundProcess start() {
        try {
            Path dir = Files.createTempDirectory("ovsanp-bg-");
            return start(dir.resolve("stdout"), dir.resolve("stderr"), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the command with its output in {@code stdoutFile} and {@code stderrFile}, which stay. */
    public BackgroundProcess start(Path stdoutFile, Path stderrFile) {
        return start(stdoutFile, stderrFile, null);
    }

    private BackgroundProcess start(Path stdoutFile, Path stderrFile, Path ownDir) {
        if (stdin != null) {
            throw new IllegalStateException("a background process reads no standard input");
        }
        Path err = mergeStderr ? null : stderrFile;
        return new BackgroundProcess(argv(), start(processBuilder(stdoutFile, err, null)), stdoutFile, err, ownDir);
    }

    private ProcessBuilder processBuilder(Path out, Path err, Path in) {
        ProcessBuilder pb = new ProcessBuilder(argv()).redirectOutput(out.toFile());
        if (err == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toFile());
        }
        pb.redirectInput(in == null ? Path.of("/dev/null").toFile() : in.toFile());
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        pb.environment().keySet().removeAll(unset);
        pb.environment().putAll(env);
        return pb;
    }

    private Process start(ProcessBuilder pb) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new CommandException("command " + argv() + " could not be started: " + e.getMessage(), e);
        }
    }

    private static String describeStdout(Result r) {
        return r.stdout().isBlank() ? "" : "; stdout: " + r.stdout().strip();
    }

    /** The file's text; a byte that is not UTF-8 (a half-written character, binary output) reads as U+FFFD. */
    static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // A leftover temp file is harmless; the command's own outcome matters more.
        }
    }

    @Override
    public String toString() {
        return String.join(" ", argv());
    }
}
