package io.ovsanp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A private Open vSwitch for one test: its own run directory (database, sockets, pid files and logs,
 * via {@code OVS_RUNDIR}/{@code OVS_LOGDIR}/{@code OVS_DBDIR}), its own {@code ovsdb-server}, and an
 * {@code ovs-vswitchd} in its own network namespace (docs/ovs-notes.md §6.1). Call {@link
 * Needs#ovs()} first.
 *
 * <p>The namespace is what lets several instances, and a system OVS, coexist: only one userspace
 * ({@code netdev}) datapath can exist per network namespace, and a second vswitchd in the same one
 * fails with "datapath ovs-netdev already exists but cannot be opened". A JVM socket cannot enter
 * the namespace; {@link #linkToRoot()} joins it to ours with a veth pair.
 *
 * <p>{@link #close()} stops only the daemons this instance started, identified by their pid files
 * and checked against their command line ({@link Processes#stop}), then deletes the namespace and
 * the run directory. It is idempotent, also runs when {@link #start()} fails halfway, and is
 * registered as a shutdown hook.
 */
public final class PrivateOvs implements AutoCloseable {
    private static final Duration CMD_TIMEOUT = Duration.ofSeconds(30);
    private static final long STOP_GRACE_SECONDS = 5;
    private static final Duration STOP_GRACE = Duration.ofSeconds(STOP_GRACE_SECONDS);
    private static final String OVSDB = "ovsdb-server";
    private static final String VSWITCHD = "ovs-vswitchd";

    private final Path schema;
    private final String vswitchdProgram;
    private final String netns;
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "private-ovs-cleanup");
    private Path runDir;
    private boolean launched;
    private boolean netnsCreated;
    private boolean closed;

    /** Chooses names only; {@link #launch()} creates everything. */
    PrivateOvs(Path schema, String vswitchdProgram) {
        this.schema = schema;
        this.vswitchdProgram = vswitchdProgram;
        this.netns = "ovsanp-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }

    /** Starts ovsdb-server and ovs-vswitchd; call {@link Needs#ovs()} first. */
    public static PrivateOvs start() {
        return new PrivateOvs(
                        Needs.schema().orElseThrow(() -> new IllegalStateException("no vswitch.ovsschema")), VSWITCHD)
                .launch();
    }

    /** Starts the daemons, or cleans up whatever was created and rethrows. */
    synchronized PrivateOvs launch() {
        if (closed || launched) {
            throw new IllegalStateException("launch() may run once, before close()");
        }
        launched = true;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            runDir = Files.createTempDirectory(Path.of("/tmp"), "ovsanp-it-"); // short: socket paths
            command("ip", "netns", "add", netns).runOrThrow();
            netnsCreated = true; // only now: a name clash must not make us delete someone else's netns
            command("ovsdb-tool", "create", file("conf.db"), schema.toString()).runOrThrow();
            command(
                            OVSDB,
                            file("conf.db"),
                            "--remote=punix:" + file("db.sock"),
                            "--pidfile=" + pidFile(OVSDB),
                            "--detach",
                            "--log-file=" + file(OVSDB + ".log"))
                    .runOrThrow();
            pids.put(OVSDB, readPid(OVSDB).orElseThrow(() -> new IllegalStateException("no pid file for " + OVSDB)));
            vsctl("--no-wait", "init");
            startVswitchd();
            return this;
        } catch (IOException | RuntimeException e) {
            try {
                close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Starts ovs-vswitchd in our network namespace (only one netdev datapath can run per namespace),
     * on the same database and run directory: after {@link #killVswitchd()}, the bridges come back
     * from the database with their OpenFlow tables empty.
     */
    public synchronized void startVswitchd() {
        command(
                        vswitchdProgram,
                        "unix:" + file("db.sock"),
                        "--pidfile=" + pidFile(VSWITCHD),
                        "--detach",
                        "--log-file=" + file(VSWITCHD + ".log"))
                .inNetns(netns)
                .runOrThrow();
        pids.put(
                VSWITCHD,
                readPid(VSWITCHD).orElseThrow(() -> new IllegalStateException("no pid file for " + VSWITCHD)));
    }

    /**
     * Kills ovs-vswitchd (by its pid, SIGTERM) and starts it again in the same run directory and
     * network namespace, as a node's OVS restart would: the bridges come back from the database, their
     * OpenFlow tables empty. Returns once every bridge's management socket is back.
     */
    public synchronized void restartVswitchd(String... bridges) {
        long old = vswitchdPid();
        if (!Processes.stop(old, runDir + "/", STOP_GRACE)) {
            throw new IllegalStateException("ovs-vswitchd " + old + " did not stop");
        }
        for (String br : bridges) {
            try {
                Files.deleteIfExists(runDir.resolve(br + ".mgmt"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        startVswitchd();
        for (String br : bridges) {
            awaitManagementSocket(br);
        }
    }

    /** SIGKILLs our ovs-vswitchd (a crash: no cleanup) and waits until it is gone. */
    public synchronized void killVswitchd() {
        long pid = vswitchdPid();
        Processes.signal(pid, runDir + "/", "KILL");
        Wait.until(() -> Processes.isGone(pid), Duration.ofSeconds(10), "ovs-vswitchd " + pid + " to exit");
    }

    /** {@code kill -SIGNAL} on our ovs-vswitchd, e.g. STOP and CONT. */
    public synchronized void signalVswitchd(String signal) {
        Processes.signal(vswitchdPid(), runDir + "/", signal);
    }

    public synchronized long vswitchdPid() {
        Long pid = pids.get(VSWITCHD);
        if (pid == null) {
            throw new IllegalStateException("ovs-vswitchd is not running");
        }
        return pid;
    }

    /** User plus system CPU time our ovs-vswitchd has used. */
    public long vswitchdCpuMillis() {
        return Processes.cpuMillis(vswitchdPid());
    }

    /**
     * Adds a userspace bridge as the controller expects to find br-int (docs/ovs-notes.md §5.1, §5.3):
     * {@code fail_mode=secure} set at creation (changing it later clears the tables), in-band
     * control off, OpenFlow 1.0/1.3/1.4. Returns once its {@code <br>.mgmt} socket exists.
     */
    public synchronized Bridge addBridge(String name) {
        vsctl(
                "add-br",
                name,
                "--",
                "set",
                "bridge",
                name,
                "datapath_type=netdev",
                "fail_mode=secure",
                "protocols=OpenFlow10,OpenFlow13,OpenFlow14",
                "other_config:disable-in-band=true");
        return new Bridge(this, name, awaitManagementSocket(name));
    }

    private Path awaitManagementSocket(String bridge) {
        Path mgmt = runDir().resolve(bridge + ".mgmt");
        Wait.until(() -> Files.exists(mgmt), Duration.ofSeconds(10), "management socket " + mgmt);
        return mgmt;
    }

    /** Runs {@code ovs-vsctl} against this instance's database; throws unless it succeeds. */
    public Command.Result vsctl(String... args) {
        return command(concat(List.of("ovs-vsctl", "--db=unix:" + file("db.sock"), "--timeout=30"), args))
                .runOrThrow();
    }

    /**
     * Runs {@code ovs-ofctl} with {@code args} as given (the OpenFlow version too, e.g. {@code "-O",
     * "OpenFlow13"}); a bridge name as the switch argument means its management socket in our run
     * directory. Throws unless it succeeds.
     */
    public Command.Result ofctl(String... args) {
        return command(concat(List.of("ovs-ofctl"), args)).runOrThrow();
    }

    /** Runs {@code ovs-appctl} against this instance's ovs-vswitchd; throws unless it succeeds. */
    public Command.Result appctl(String... args) {
        return command(concat(
                        List.of("ovs-appctl", "-t", vswitchdControlSocket().toString()), args))
                .runOrThrow();
    }

    /**
     * {@code argv} with this instance's {@code OVS_RUNDIR}, {@code OVS_LOGDIR} and {@code OVS_DBDIR}
     * (so OVS tools find its sockets, and {@code ovs-ofctl} resolves a bridge name to its {@code
     * <br>.mgmt}) and a 30 s timeout; not started yet.
     */
    public Command command(String... argv) {
        String dir = runDir().toString();
        return Command.of(argv)
                .env("OVS_RUNDIR", dir)
                .env("OVS_LOGDIR", dir)
                .env("OVS_DBDIR", dir)
                .timeout(CMD_TIMEOUT);
    }

    /**
     * Attaches network namespace {@code podNetns} (the caller creates and deletes it) to {@code bridge}
     * as a pod, with lab/attach-pod.sh (the lab's script, also the Vagrant lab's CNI plugin's): a veth
     * {@code hostIf} on the bridge, TX checksum offload off at both ends (the userspace datapath needs
     * it); {@code addressArgs} are the script's address options ({@code --address}, {@code --gateway},
     * {@code --address6}...). Returns the pod port's OpenFlow port number.
     */
    public int attachPod(Path repo, String podNetns, String hostIf, String bridge, String... addressArgs) {
        List<String> cmd = new ArrayList<>(List.of(
                repo.resolve("lab/attach-pod.sh").toString(),
                "add",
                "--netns",
                podNetns,
                "--host-if",
                hostIf,
                "--bridge",
                bridge,
                "--tx-offload",
                "off"));
        cmd.addAll(List.of(addressArgs));
        Command.of(cmd)
                .env("OVS_VSCTL", "ovs-vsctl --db=unix:" + file("db.sock") + " --timeout=30")
                .inNetns(netns)
                .runOrThrow();
        return Integer.parseInt(
                vsctl("get", "Interface", hostIf, "ofport").stdout().strip());
    }

    /**
     * The two ends of a veth between the root network namespace and this instance's; {@link #close()}
     * deletes it (deleting the instance's namespace does too).
     */
    public record Link(String name, String outside, String inside) implements AutoCloseable {
        @Override
        public void close() {
            Command.of("ip", "link", "del", name).run();
        }
    }

    /**
     * A veth pair from the root network namespace (ours, where JVM sockets live) into this
     * instance's, with a random link-local /30 (random, so concurrent tests and other worktrees do
     * not collide): how ovs-vswitchd here dials a listener of ours over TCP, and we dial its.
     * {@link Link#outside()} is ours, {@link Link#inside()} the switch's.
     */
    public synchronized Link linkToRoot() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String id = Integer.toHexString(r.nextInt(0x100000, 0xffffff));
        String name = "ita" + id;
        String peer = "itb" + id;
        String net = "169.254." + r.nextInt(1, 255) + ".";
        int base = 4 * r.nextInt(0, 64);
        Link link = new Link(name, net + (base + 1), net + (base + 2));
        Command.of("ip", "link", "add", name, "type", "veth", "peer", "name", peer, "netns", netns)
                .runOrThrow();
        try {
            Command.of("ip", "addr", "add", link.outside() + "/30", "dev", name).runOrThrow();
            Command.of("ip", "link", "set", name, "up").runOrThrow();
            Command.of("ip", "-n", netns, "addr", "add", link.inside() + "/30", "dev", peer)
                    .runOrThrow();
            Command.of("ip", "-n", netns, "link", "set", peer, "up").runOrThrow();
            return link;
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Table {@code table} of {@code bridge} holds at most {@code limit} flows and refuses more. */
    public void limitTableFlows(String bridge, int table, long limit) {
        vsctl(
                "--",
                "--id=@ft",
                "create",
                "Flow_Table",
                "flow_limit=" + limit,
                "overflow_policy=refuse",
                "--",
                "set",
                "Bridge",
                bridge,
                "flow_tables:" + table + "=@ft");
    }

    /** The unixctl socket of ovs-vswitchd, {@code <rundir>/ovs-vswitchd.<pid>.ctl}. */
    public synchronized Path vswitchdControlSocket() {
        return runDir().resolve(VSWITCHD + "." + vswitchdPid() + ".ctl");
    }

    public synchronized Path runDir() {
        if (runDir == null) {
            throw new IllegalStateException("not launched");
        }
        return runDir;
    }

    public String netns() {
        return netns;
    }

    /** Daemon name to pid, for the daemons that are (or were) running. */
    public synchronized Map<String, Long> pids() {
        return Map.copyOf(pids);
    }

    /**
     * Stops the daemons (SIGCONT first, in case a test left one stopped; SIGTERM, then SIGKILL after
     * {@value #STOP_GRACE_SECONDS} s), deletes the namespace and the run directory. Tries every step;
     * throws afterwards if any failed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // We are the shutdown hook, or the JVM is exiting anyway.
        }
        List<String> problems = new ArrayList<>();
        if (runDir != null) {
            // Our daemons' command lines name files inside the run dir: "<runDir>/conf.db", ...
            String marker = runDir + "/";
            for (String daemon : List.of(VSWITCHD, OVSDB)) {
                Optional<Long> pid = Optional.ofNullable(pids.get(daemon)).or(() -> readPid(daemon));
                if (pid.isEmpty()) {
                    continue;
                }
                if (!Processes.isGone(pid.get())
                        && Processes.commandLine(pid.get()).contains(marker)) {
                    Command.of("kill", "-CONT", pid.get().toString()).run();
                }
                if (!Processes.stop(pid.get(), marker, STOP_GRACE)) {
                    problems.add(daemon + " (pid " + pid.get() + ") survived SIGKILL");
                }
            }
        }
        if (netnsCreated) {
            Command.Result r =
                    Command.of("ip", "netns", "del", netns).timeout(CMD_TIMEOUT).run();
            if (!r.ok()) {
                problems.add("ip netns del " + netns + ": " + r.stderr().strip());
            }
        }
        if (runDir != null) {
            deleteRecursively(runDir, problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("private OVS cleanup incomplete: " + String.join("; ", problems));
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("[private-ovs] " + e.getMessage());
        }
    }

    private Optional<Long> readPid(String daemon) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile(daemon)).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path pidFile(String daemon) {
        return runDir.resolve(daemon + ".pid");
    }

    private String file(String name) {
        return runDir().resolve(name).toString();
    }

    private static void deleteRecursively(Path root, List<String> problems) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            if (Files.exists(root)) {
                problems.add("deleting " + root + ": " + e);
            }
        }
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
