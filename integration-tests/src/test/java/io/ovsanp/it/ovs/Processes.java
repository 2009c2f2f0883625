package io.ovsanp.it.ovs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Stopping daemons we did not fork ourselves (they detached), by pid, through {@code /proc}. */
final class Processes {
    private Processes() {}

    /**
     * Sends SIGTERM to {@code pid}, then SIGKILL if it is still there after {@code grace}, but only
     * if its command line contains {@code marker}: a pid file can be stale and its pid reused by a
     * process that is not ours. Returns false only if the process survived SIGKILL.
     */
    static boolean stop(long pid, String marker, Duration grace) {
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
     * Whether {@code pid} no longer runs. A zombie counts as gone: detached daemons are re-parented
     * to pid 1, which in some containers never reaps them.
     */
    static boolean isGone(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true; // /proc entry vanished: it just exited
        }
    }

    /** The NUL-separated {@code /proc/<pid>/cmdline} joined by spaces; empty if unreadable. */
    static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls {@code condition} every 20 ms; throws {@link IllegalStateException} on timeout. */
    static void waitUntil(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private static boolean waitUntilGone(long pid, Duration timeout) {
        try {
            waitUntil(() -> isGone(pid), timeout, "pid " + pid + " to exit");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
