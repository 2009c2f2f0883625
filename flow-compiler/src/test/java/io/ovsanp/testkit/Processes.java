package io.ovsanp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Daemons we did not fork ourselves (they detached), by pid, through {@code /proc}: a pid is only
 * ever signalled when its command line carries a marker of ours (a run directory), since a pid file
 * can be stale and its pid reused by a process that is not ours.
 */
public final class Processes {
    private Processes() {}

    /**
     * Sends SIGTERM to {@code pid}, then SIGKILL if it is still there after {@code grace}, but only
     * if its command line contains {@code marker}. Returns false only if the process survived SIGKILL.
     */
    public static boolean stop(long pid, String marker, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || isGone(pid) || !commandLine(pid).contains(marker)) {
            return true;
        }
        handle.get().destroy(); // SIGTERM: OVS daemons remove their pid file and sockets on the way out.
        if (waitUntilGone(pid, grace)) {
            return true;
        }
        handle.get().destroyForcibly(); // SIGKILL
        return waitUntilGone(pid, grace);
    }

    /**
     * Sends {@code signal} ({@code STOP}, {@code CONT}, {@code KILL}...) to {@code pid} if its command
     * line contains {@code marker}; throws {@link IllegalStateException} if it does not.
     */
    public static void signal(long pid, String marker, String signal) {
        if (!commandLine(pid).contains(marker)) {
            throw new IllegalStateException("pid " + pid + " is not ours (no " + marker + " in its command line)");
        }
        Command.of("kill", "-" + signal, Long.toString(pid)).runOrThrow();
    }

    /**
     * Whether {@code pid} no longer runs. A zombie counts as gone: detached daemons are re-parented
     * to pid 1, which in some containers never reaps them.
     */
    public static boolean isGone(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return true;
        }
        try {
            return stat(pid).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true; // /proc entry vanished: it just exited
        }
    }

    /** The NUL-separated {@code /proc/<pid>/cmdline} joined by spaces; empty if unreadable. */
    public static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** User plus system CPU time {@code pid} has used, from {@code /proc/PID/stat} (10 ms ticks). */
    public static long cpuMillis(long pid) {
        try {
            String[] f = stat(pid).split(" ", -1);
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fields of {@code /proc/PID/stat} after the command name: state first. */
    private static String stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 1).strip();
    }

    private static boolean waitUntilGone(long pid, Duration timeout) {
        try {
            Wait.until(() -> isGone(pid), timeout, "pid " + pid + " to exit");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
