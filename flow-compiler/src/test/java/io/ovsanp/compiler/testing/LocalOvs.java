package io.ovsanp.compiler.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A private OVS for oracle tests: ovsdb-server and a userspace (netdev) ovs-vswitchd in their own
 * run directory, the switch in its own network namespace ({@code unshare -n}, so it never meets
 * another instance's {@code ovs-netdev} datapath), one bridge with {@code fail_mode=secure}.
 * {@link #close()} stops only the two daemons it started, by the pids in its pid files, and deletes
 * the run directory. Recipe: docs/ovs-notes.md §6.1.
 */
public final class LocalOvs implements AutoCloseable {
    private static final List<String> TOOLS =
            List.of("ovsdb-tool", "ovsdb-server", "ovs-vsctl", "ovs-vswitchd", "ovs-ofctl", "ovs-appctl", "unshare");
    private static final List<String> SCHEMAS =
            List.of("/usr/share/openvswitch/vswitch.ovsschema", "/usr/local/share/openvswitch/vswitch.ovsschema");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path run;
    private final String bridge;

    private LocalOvs(Path run, String bridge) {
        this.run = run;
        this.bridge = bridge;
    }

    /**
     * Skips the calling test when OVS cannot run here, with the reason; fails instead when the
     * environment variable {@code CI} is {@code true}, so CI never silently loses the oracle.
     */
    public static void assumeAvailable() {
        Optional<String> missing = missing();
        if (missing.isEmpty()) {
            return;
        }
        String why = "OVS oracle unavailable: " + missing.get();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + " (CI=true, so this is a failure, not a skip)");
        }
        String skip = why + "; install openvswitch-switch and run as root to enable it";
        System.err.println("SKIPPED: " + skip);
        Assumptions.abort(skip);
    }

    /** Why OVS cannot run here (a missing tool, not root, {@code -Dovsanp.ovs=off}), or empty. */
    public static Optional<String> missing() {
        if ("off".equals(System.getProperty("ovsanp.ovs"))) {
            return Optional.of("disabled with -Dovsanp.ovs=off");
        }
        for (String tool : TOOLS) {
            if (which(tool).isEmpty()) {
                return Optional.of(tool + " not found on PATH or in /usr/sbin");
            }
        }
        if (schema().isEmpty()) {
            return Optional.of("vswitch.ovsschema not found");
        }
        try {
            boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
            return root ? Optional.empty() : Optional.of("not running as root (needed for unshare -n)");
        } catch (IOException e) {
            return Optional.of("cannot read /proc/self/status: " + e.getMessage());
        }
    }

    /** Starts the daemons and creates {@code bridge}; cleans up everything if any step fails. */
    public static LocalOvs start(String bridge) throws IOException {
        LocalOvs ovs = new LocalOvs(Files.createTempDirectory("ovsanp-localovs-"), bridge);
        try {
            String db = ovs.run.resolve("conf.db").toString();
            ovs.exec("ovsdb-tool", "create", db, schema().orElseThrow());
            ovs.exec(
                    "ovsdb-server",
                    db,
                    "--remote=punix:" + ovs.path("db.sock"),
                    "--pidfile=" + ovs.path("ovsdb-server.pid"),
                    "--unixctl=" + ovs.path("ovsdb-server.ctl"),
                    "--detach",
                    "--log-file=" + ovs.path("ovsdb-server.log"));
            ovs.exec("ovs-vsctl", "--db=unix:" + ovs.path("db.sock"), "--no-wait", "init");
            ovs.exec(
                    "unshare",
                    "-n",
                    which("ovs-vswitchd").orElseThrow(),
                    "unix:" + ovs.path("db.sock"),
                    "--pidfile=" + ovs.path("ovs-vswitchd.pid"),
                    "--unixctl=" + ovs.path("ovs-vswitchd.ctl"),
                    "--detach",
                    "--log-file=" + ovs.path("ovs-vswitchd.log"));
            ovs.exec(
                    "ovs-vsctl",
                    "--db=unix:" + ovs.path("db.sock"),
                    "--timeout=20",
                    "add-br",
                    bridge,
                    "--",
                    "set",
                    "bridge",
                    bridge,
                    "datapath_type=netdev",
                    "fail_mode=secure",
                    "protocols=OpenFlow13");
            return ovs;
        } catch (IOException | RuntimeException e) {
            ovs.close();
            throw e;
        }
    }

    public String bridge() {
        return bridge;
    }

    /** The OpenFlow management socket, the target for ovs-ofctl. */
    public String target() {
        return "unix:" + path(bridge + ".mgmt");
    }

    /** Deletes every flow, then adds {@code lines} in one bundle (lines may include {@code #} comments). */
    public void replaceFlows(Collection<String> lines) throws IOException {
        exec("ovs-ofctl", "-O", "OpenFlow13", "del-flows", target());
        Path file = run.resolve("flows.txt");
        Files.write(file, lines, StandardCharsets.UTF_8);
        try {
            exec("ovs-ofctl", "-O", "OpenFlow13", "--bundle", "add-flows", target(), file.toString());
        } catch (IOException e) {
            // ovs-ofctl names the line as "flows.txt:N:"; show it.
            Matcher m = Pattern.compile("flows\\.txt:(\\d+):").matcher(e.getMessage());
            List<String> all = List.copyOf(lines);
            if (m.find() && Integer.parseInt(m.group(1)) <= all.size()) {
                throw new IOException(e.getMessage() + "\nline: " + all.get(Integer.parseInt(m.group(1)) - 1), e);
            }
            throw e;
        }
    }

    /** The raw {@code dump-flows} output, header line included. */
    public String dumpFlows(boolean stats) throws IOException {
        return stats
                ? exec("ovs-ofctl", "-O", "OpenFlow13", "dump-flows", target())
                : exec("ovs-ofctl", "-O", "OpenFlow13", "--no-stats", "dump-flows", target());
    }

    /** {@code ovs-appctl ofproto/trace <bridge> <flow> [extra...]}, e.g. extra {@code --ct-next trk,est}. */
    public String trace(String flow, String... extra) throws IOException {
        List<String> cmd =
                new ArrayList<>(List.of("ovs-appctl", "-t", path("ovs-vswitchd.ctl"), "ofproto/trace", bridge, flow));
        cmd.addAll(List.of(extra));
        return exec(cmd.toArray(String[]::new));
    }

    /** Runs an OVS tool against this instance and returns its stdout; fails on a non-zero exit. */
    public String exec(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, which(cmd.get(0)).orElse(cmd.get(0)));
        // stderr to a file: a full stderr pipe would otherwise block the tool while we read stdout.
        Path stderr = run.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        Map<String, String> env = pb.environment();
        env.put("OVS_RUNDIR", run.toString());
        env.put("OVS_LOGDIR", run.toString());
        env.put("OVS_DBDIR", run.toString());
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                String err = Files.readString(stderr, StandardCharsets.UTF_8);
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + err + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    /** Stops the daemons this instance started (by pid file) and deletes the run directory. */
    @Override
    public void close() {
        for (String daemon : List.of("ovs-vswitchd", "ovsdb-server")) {
            Path pidFile = run.resolve(daemon + ".pid");
            try {
                if (Files.exists(pidFile)) {
                    long pid = Long.parseLong(Files.readString(pidFile).trim());
                    ProcessHandle.of(pid).ifPresent(LocalOvs::stop);
                }
            } catch (IOException | NumberFormatException e) {
                System.err.println("LocalOvs: cannot stop " + daemon + ": " + e);
            }
        }
        try (Stream<Path> files = Files.walk(run)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("LocalOvs: cannot delete " + run + ": " + e);
        }
    }

    private static void stop(ProcessHandle h) {
        h.destroy();
        try {
            h.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
        }
    }

    private String path(String name) {
        return run.resolve(name).toString();
    }

    private static Optional<String> schema() {
        return SCHEMAS.stream().filter(s -> Files.isReadable(Path.of(s))).findFirst();
    }

    private static Optional<String> which(String tool) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        return dirs.stream()
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, tool))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }
}
