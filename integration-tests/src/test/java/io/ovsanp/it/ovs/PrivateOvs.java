package io.ovsanp.it.ovs;

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
 * {@code ovs-vswitchd} in its own network namespace.
 *
 * <p>The namespace is what lets several instances, and a system OVS, coexist: only one userspace
 * ({@code netdev}) datapath can exist per network namespace, and a second vswitchd in the same one
 * fails with "datapath ovs-netdev already exists but cannot be opened" (docs/ovs-notes.md §6.1).
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
    private Cmd cmd;
    private boolean netnsCreated;
    private boolean closed;

    /** Chooses names only; {@link #launch()} creates everything. */
    PrivateOvs(Path schema, String vswitchdProgram) {
        this.schema = schema;
        this.vswitchdProgram = vswitchdProgram;
        this.netns = "ovsanp-it-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }

    /** Starts ovsdb-server and ovs-vswitchd; call {@link OvsSupport#assumeOvsAvailable()} first. */
    public static PrivateOvs start() {
        return new PrivateOvs(OvsSupport.SCHEMA, VSWITCHD).launch();
    }

    /** Starts the daemons, or cleans up whatever was created and rethrows. */
    synchronized PrivateOvs launch() {
        if (closed || cmd != null) {
            throw new IllegalStateException("launch() may run once, before close()");
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            runDir = Files.createTempDirectory(Path.of("/tmp"), "ovsanp-it-"); // short: socket paths
            String dir = runDir.toString();
            cmd = new Cmd(Map.of("OVS_RUNDIR", dir, "OVS_LOGDIR", dir, "OVS_DBDIR", dir), CMD_TIMEOUT);
            cmd.run("ip", "netns", "add", netns);
            netnsCreated = true; // only now: a name clash must not make us delete someone else's netns
            cmd.run("ovsdb-tool", "create", file("conf.db"), schema.toString());
            cmd.run(
                    OVSDB,
                    file("conf.db"),
                    "--remote=punix:" + file("db.sock"),
                    "--pidfile=" + pidFile(OVSDB),
                    "--detach",
                    "--log-file=" + file(OVSDB + ".log"));
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

    /** ovs-vswitchd in our network namespace (only one netdev datapath can run per namespace). */
    private void startVswitchd() {
        cmd.run(
                "ip",
                "netns",
                "exec",
                netns,
                vswitchdProgram,
                "unix:" + file("db.sock"),
                "--pidfile=" + pidFile(VSWITCHD),
                "--detach",
                "--log-file=" + file(VSWITCHD + ".log"));
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
        long old = pids.get(VSWITCHD);
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
            Path mgmt = runDir.resolve(br + ".mgmt");
            Processes.waitUntil(() -> Files.exists(mgmt), Duration.ofSeconds(10), "management socket " + mgmt);
        }
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
        Path mgmt = runDir().resolve(name + ".mgmt");
        Processes.waitUntil(() -> Files.exists(mgmt), Duration.ofSeconds(10), "management socket " + mgmt);
        return new Bridge(this, name, mgmt);
    }

    /** Runs {@code ovs-vsctl} against this instance's database. */
    public Cmd.Result vsctl(String... args) {
        return cmd().run(concat(List.of("ovs-vsctl", "--db=unix:" + file("db.sock"), "--timeout=30"), args));
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
                "ip",
                "netns",
                "exec",
                netns,
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
        String vsctl = "ovs-vsctl --db=unix:" + file("db.sock") + " --timeout=30";
        new Cmd(Map.of("OVS_VSCTL", vsctl), Duration.ofSeconds(60)).run(cmd.toArray(String[]::new));
        return Integer.parseInt(
                vsctl("get", "Interface", hostIf, "ofport").stdout().strip());
    }

    /** The two ends of a veth between the root network namespace and this instance's. */
    public record Link(String outside, String inside) {}

    /**
     * A veth pair from the root network namespace (ours, where JVM sockets live) into this
     * instance's, with a random link-local /30: how ovs-vswitchd here dials a listener of ours over
     * TCP. Deleting the namespace at {@link #close()} deletes both ends.
     */
    public synchronized Link linkToRoot() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String id = Integer.toHexString(r.nextInt(0x100000, 0xffffff));
        String name = "ita" + id;
        String peer = "itb" + id;
        String net = "169.254." + r.nextInt(1, 255) + ".";
        int base = 4 * r.nextInt(0, 64);
        Link link = new Link(net + (base + 1), net + (base + 2));
        cmd.run("ip", "link", "add", name, "type", "veth", "peer", "name", peer, "netns", netns);
        cmd.run("ip", "addr", "add", link.outside() + "/30", "dev", name);
        cmd.run("ip", "link", "set", name, "up");
        cmd.run("ip", "-n", netns, "addr", "add", link.inside() + "/30", "dev", peer);
        cmd.run("ip", "-n", netns, "link", "set", peer, "up");
        return link;
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

    /** Runs {@code ovs-appctl} against this instance's ovs-vswitchd. */
    public Cmd.Result appctl(String... args) {
        return cmd().run(concat(
                List.of("ovs-appctl", "-t", vswitchdControlSocket().toString()), args));
    }

    /** The unixctl socket of ovs-vswitchd, {@code <rundir>/ovs-vswitchd.<pid>.ctl}. */
    public synchronized Path vswitchdControlSocket() {
        Long pid = pids.get(VSWITCHD);
        if (pid == null) {
            throw new IllegalStateException("ovs-vswitchd is not running");
        }
        return runDir().resolve(VSWITCHD + "." + pid + ".ctl");
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

    synchronized Cmd cmd() {
        if (cmd == null || closed) {
            throw new IllegalStateException("private OVS is not running");
        }
        return cmd;
    }

    /**
     * Stops the daemons (SIGTERM, then SIGKILL after {@value #STOP_GRACE_SECONDS} s), deletes the
     * namespace and the run directory. Tries every step; throws afterwards if any failed.
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
            for (String daemon : List.of(VSWITCHD, OVSDB)) {
                Optional<Long> pid = Optional.ofNullable(pids.get(daemon)).or(() -> readPid(daemon));
                // Our daemons' command lines name files inside the run dir: "<runDir>/conf.db", ...
                if (pid.isPresent() && !Processes.stop(pid.get(), runDir + "/", STOP_GRACE)) {
                    problems.add(daemon + " (pid " + pid.get() + ") survived SIGKILL");
                }
            }
        }
        if (netnsCreated) {
            Cmd.Result r = new Cmd(Map.of(), CMD_TIMEOUT).tryRun("ip", "netns", "del", netns);
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
