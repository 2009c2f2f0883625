package io.ovsanp.controller.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A private Open vSwitch for one test, a short cousin of integration-tests' {@code PrivateOvs}: its
 * own run directory (database, sockets, pid files, logs), its own ovsdb-server, and an ovs-vswitchd
 * in its own network namespace (one userspace datapath per namespace, docs/ovs-notes.md §6.1). It signals
 * and stops only the daemons it started, by pid, after checking their command line names its run
 * directory. {@link #assumeAvailable()} skips a test without root or OVS, or fails it under CI=true.
 */
public final class TestOvs implements AutoCloseable {
    private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    private static final List<String> PROGRAMS =
            List.of("ovs-vswitchd", "ovsdb-server", "ovsdb-tool", "ovs-vsctl", "ovs-ofctl", "ip", "openssl");

    private final Path runDir;
    private final String netns;
    private boolean netnsCreated;

    private TestOvs(Path runDir, String netns) {
        this.runDir = runDir;
        this.netns = netns;
    }

    /** Call first in {@code @BeforeEach}; see the class comment. */
    public static void assumeAvailable() {
        List<String> problems = new ArrayList<>();
        if (!Commands.run(List.of("id", "-u"), false).strip().equals("0")) {
            problems.add("not root");
        }
        for (String p : PROGRAMS) {
            if (Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                    .noneMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, p)))) {
                problems.add(p + " not on PATH");
            }
        }
        if (!Files.isReadable(SCHEMA)) {
            problems.add(SCHEMA + " missing");
        }
        if (!problems.isEmpty()) {
            String why = "no private Open vSwitch here: " + String.join("; ", problems)
                    + " (apt-get install openvswitch-switch iproute2 openssl, run as root)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI=true: " + why);
            }
            Assumptions.abort(why);
        }
    }

    /** Starts ovsdb-server and ovs-vswitchd; cleans up and rethrows if anything fails. */
    public static TestOvs start() {
        TestOvs ovs;
        try {
            ovs = new TestOvs(
                    Files.createTempDirectory(Path.of("/tmp"), "ovsanp-of-"),
                    "ovsanp-of-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ovs.cmd("ip", "netns", "add", ovs.netns);
            ovs.netnsCreated = true;
            ovs.cmd("ovsdb-tool", "create", ovs.file("conf.db"), SCHEMA.toString());
            ovs.cmd(
                    "ovsdb-server",
                    ovs.file("conf.db"),
                    "--remote=punix:" + ovs.file("db.sock"),
                    "--pidfile=" + ovs.file("ovsdb-server.pid"),
                    "--detach",
                    "--log-file=" + ovs.file("ovsdb-server.log"));
            ovs.vsctl("--no-wait", "init");
            ovs.startVswitchd();
            return ovs;
        } catch (RuntimeException e) {
            ovs.close();
            throw e;
        }
    }

    /** (Re)starts ovs-vswitchd in the namespace, on the same database and run directory. */
    public void startVswitchd() {
        cmd(
                "ip",
                "netns",
                "exec",
                netns,
                "ovs-vswitchd",
                "unix:" + file("db.sock"),
                "--pidfile=" + file("ovs-vswitchd.pid"),
                "--detach",
                "--log-file=" + file("ovs-vswitchd.log"));
    }

    /**
     * A userspace bridge as the controller expects br-int (docs/ovs-notes.md §5.1, §5.3): fail_mode=secure,
     * OpenFlow 1.3, no in-band flows. Returns its management socket once it exists.
     */
    public Path addBridge(String name) {
        vsctl(
                "add-br",
                name,
                "--",
                "set",
                "bridge",
                name,
                "datapath_type=netdev",
                "fail_mode=secure",
                "protocols=OpenFlow13",
                "other_config:disable-in-band=true");
        Path mgmt = runDir.resolve(name + ".mgmt");
        Commands.waitUntil(() -> Files.exists(mgmt), Duration.ofSeconds(10), mgmt.toString());
        return mgmt;
    }

    public String vsctl(String... args) {
        return cmd(concat(List.of("ovs-vsctl", "--db=unix:" + file("db.sock"), "--timeout=30"), args));
    }

    /** {@code ovs-ofctl -O OpenFlow13 ARGS}, e.g. {@code ofctl("dump-flows", "br-int")} (bridge names resolve in the run dir). */
    public String ofctl(String... args) {
        return cmd(concat(List.of("ovs-ofctl", "-O", "OpenFlow13"), args));
    }

    /** Runs a command with this instance's OVS_RUNDIR; throws with its stderr if it fails. */
    public String cmd(String... command) {
        return Commands.run(
                List.of(command),
                true,
                "OVS_RUNDIR",
                runDir.toString(),
                "OVS_LOGDIR",
                runDir.toString(),
                "OVS_DBDIR",
                runDir.toString());
    }

    public Path runDir() {
        return runDir;
    }

    public String netns() {
        return netns;
    }

    public long vswitchdPid() {
        return pid("ovs-vswitchd").orElseThrow(() -> new IllegalStateException("ovs-vswitchd has no pid file"));
    }

    /** User plus system CPU time ovs-vswitchd has used, from {@code /proc/PID/stat} (10 ms ticks). */
    public long vswitchdCpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/" + vswitchdPid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -SIG} on our ovs-vswitchd, e.g. STOP and CONT. */
    public void signalVswitchd(String signal) {
        long pid = vswitchdPid();
        checkOurs(pid);
        cmd("kill", "-" + signal, Long.toString(pid));
    }

    /** SIGKILLs our ovs-vswitchd (a crash: no cleanup) and waits until it is gone. */
    public void killVswitchd() {
        long pid = vswitchdPid();
        checkOurs(pid);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Commands.waitUntil(() -> isGone(pid), Duration.ofSeconds(10), "ovs-vswitchd " + pid + " to exit");
    }

    /** Stops our daemons (SIGCONT first, in case a test left one stopped), the namespace, the run dir. */
    @Override
    public void close() {
        for (String daemon : List.of("ovs-vswitchd", "ovsdb-server")) {
            Optional<Long> pid = pid(daemon);
            if (pid.isEmpty() || isGone(pid.get()) || !commandLine(pid.get()).contains(runDir.toString())) {
                continue;
            }
            Commands.run(List.of("kill", "-CONT", pid.get().toString()), false);
            ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroy);
            try {
                Commands.waitUntil(() -> isGone(pid.get()), Duration.ofSeconds(5), daemon);
            } catch (IllegalStateException e) {
                ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        if (netnsCreated) {
            Commands.run(List.of("ip", "netns", "del", netns), false);
        }
        try (Stream<Path> walk = Files.walk(runDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[test-ovs] cannot delete " + runDir + ": " + e);
        }
    }

    private void checkOurs(long pid) {
        if (!commandLine(pid).contains(runDir.toString())) {
            throw new IllegalStateException("pid " + pid + " is not our ovs-vswitchd");
        }
    }

    private Optional<Long> pid(String daemon) {
        try {
            return Optional.of(Long.parseLong(
                    Files.readString(runDir.resolve(daemon + ".pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Gone, or a zombie nobody reaps (detached daemons are re-parented). */
    private static boolean isGone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private String file(String name) {
        return runDir.resolve(name).toString();
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
