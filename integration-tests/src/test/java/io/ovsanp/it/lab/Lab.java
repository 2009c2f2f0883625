package io.ovsanp.it.lab;

import io.ovsanp.testkit.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-machine lab of {@code lab/}, driven through its scripts: {@link #up} runs {@code
 * lab/up.sh}, {@link #close} runs {@code lab/down.sh}, {@link #apply}/{@link #delete} run {@code
 * lab/apply.sh}; {@link #from} sends real packets from a pod's network namespace.
 */
final class Lab implements AutoCloseable {
    /**
     * A row of the lab's {@code hosts.tsv}: a pod, a node or an external host; {@code ip6} is its IPv6
     * address, {@code "-"} when it has none (nodes, some external hosts).
     */
    record Host(String name, String kind, String netns, String ip, String node, String ofport, String ip6) {
        boolean hasIp6() {
            return !ip6.equals("-");
        }
    }

    static final Path REPO =
            Path.of(System.getProperty("ovsanp.repo", "..")).toAbsolutePath().normalize();

    /**
     * The TTL of the lab DNS server's answers in the tests ({@code lab/up.sh --dns-ttl}), also the
     * controllers' {@code --dns-min-ttl}: short, so that a test sees a learned address expire.
     */
    static final int DNS_TTL_SECONDS = 5;

    /** The longest state dir lab/up.sh accepts. */
    static final int MAX_STATE_DIR = 60;

    private final Path state;
    private final String controller;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean closed;

    private Lab(Path state, String controller) {
        this.state = state;
        this.controller = controller;
    }

    /**
     * Runs {@code lab/up.sh} with a state dir under {@code target/} (or {@code /tmp} when that path is
     * too long for OVS's sockets); a lab left over from an earlier run that died is torn down first
     * (by what it recorded).
     */
    static Lab up(String controller, int nodes, int podsPerNode) {
        return up(controller, "standalone", nodes, podsPerNode);
    }

    /**
     * As {@link #up(String, int, int)} with {@code lab/up.sh --pipeline pipeline} ({@code standalone} or
     * {@code cni}: the minimal CNI's flows on every br-int and the controllers placed into them).
     */
    static Lab up(String controller, String pipeline, int nodes, int podsPerNode) {
        return up(controller, pipeline, "none", nodes, podsPerNode);
    }

    /**
     * As {@link #up(String, String, int, int)} with {@code lab/up.sh --service-vips serviceVips}
     * ({@code none}, or {@code pre-dnat}: the router DNATs the apiserver's ClusterIP, host {@code
     * kubernetes}, to the endpoints of {@code default/kubernetes} after br-int, and the controllers map
     * it).
     */
    static Lab up(String controller, String pipeline, String serviceVips, int nodes, int podsPerNode) {
        String name = controller + (pipeline.equals("standalone") ? "" : "-" + pipeline);
        Path state = Path.of("target", "lab-" + name).toAbsolutePath();
        if (state.toString().length() > MAX_STATE_DIR) {
            // OVS's unix socket paths under <state>/nodes/<node>/ must fit in 107 bytes (up.sh checks).
            state = Path.of("/tmp", "ovsanp-lab-" + name);
        }
        Lab lab = new Lab(state, controller);
        lab.script("down.sh", "--state-dir", state.toString());
        Command.Result up = run(
                Duration.ofMinutes(6),
                REPO.resolve("lab/up.sh").toString(),
                "--nodes",
                Integer.toString(nodes),
                "--pods-per-node",
                Integer.toString(podsPerNode),
                "--controller",
                controller,
                "--pipeline",
                pipeline,
                "--service-vips",
                serviceVips,
                "--dns-ttl",
                Integer.toString(DNS_TTL_SECONDS),
                "--state-dir",
                state.toString());
        System.out.println("[lab] up.sh in " + up.millis() + " ms:\n" + up.output());
        if (!up.ok()) {
            throw new IllegalStateException("lab/up.sh failed (exit " + up.exit() + "):\n" + up.output());
        }
        lab.load();
        return lab;
    }

    /** Whether {@code bin/ovs-anp run} exists in this build (central mode needs it). */
    static boolean hasRunCommand() {
        // The help lists the commands one per line ("  run  ..."); "ovs-anp run --help" would not
        // do: without a run command it prints the top-level help and exits 0.
        Command.Result help =
                run(Duration.ofMinutes(5), REPO.resolve("bin/ovs-anp").toString(), "--help");
        return help.ok() && help.output().lines().anyMatch(l -> l.matches("\\s+run(\\s.*)?"));
    }

    private void load() {
        env.clear();
        hosts.clear();
        try {
            for (String line : Files.readAllLines(state.resolve("lab.env"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            List<String> rows = Files.readAllLines(state.resolve("hosts.tsv"));
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.split("\t", -1);
                hosts.put(f[0], new Host(f[0], f[1], f[2], f[3], f[4], f[5], f.length > 8 ? f[8] : "-"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path state() {
        return state;
    }

    String controller() {
        return controller;
    }

    Host host(String name) {
        Host h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no host " + name + " in the lab; hosts: " + hosts.keySet());
        }
        return h;
    }

    /** Applies the objects of {@code file}, then waits until every node's controller realised them. */
    void apply(Path file) {
        change(file, false);
    }

    /** Deletes the objects of {@code file}, then waits until every node's controller realised that. */
    void delete(Path file) {
        change(file, true);
    }

    private void change(Path file, boolean delete) {
        Map<String, Long> before = converges();
        String objectsBefore = objectsStamp();
        List<String> args = new ArrayList<>(List.of("--state-dir", state.toString()));
        if (delete) {
            args.add("--delete");
        }
        args.add(file.toString());
        Command.Result r = script("apply.sh", args.toArray(String[]::new));
        if (!r.ok()) {
            throw new IllegalStateException("lab/apply.sh " + args + " failed:\n" + r.output());
        }
        if (!objectsStamp().equals(objectsBefore)) {
            awaitConverged(before);
        }
    }

    /** Names, sizes and modification times of the files in the sync controllers' objects/ dir. */
    private String objectsStamp() {
        StringBuilder stamp = new StringBuilder();
        try (var files = Files.list(state.resolve("objects"))) {
            for (Path f : files.sorted().toList()) {
                stamp.append(f.getFileName())
                        .append(' ')
                        .append(Files.size(f))
                        .append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis())
                        .append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stamp.toString();
    }

    /**
     * Sync mode: the number of converge reports ({@code node=... +a ~m -d}) in each node's sync log;
     * a file change makes each sync controller reconverge and report once.
     */
    private Map<String, Long> converges() {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (!controller.equals("sync")) {
            return counts;
        }
        for (Host h : hosts.values()) {
            if (h.kind().equals("node")) {
                Path log = state.resolve("logs/sync-" + h.name() + ".log");
                try {
                    counts.put(
                            h.name(),
                            Files.readAllLines(log).stream()
                                    .filter(l -> l.startsWith("node="))
                                    .count());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return counts;
    }

    /**
     * Waits until every node reported a converge after {@code before}. In central mode there is no
     * such report to read, so the callers' probes (which retry) are the barrier.
     */
    private void awaitConverged(Map<String, Long> before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Map<String, Long> now = converges();
            if (now.entrySet().stream().allMatch(e -> e.getValue() > before.get(e.getKey()))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sync controllers did not reconverge within 60 s: " + before
                        + " -> " + now + "; see " + state.resolve("logs"));
            }
            sleep(20);
        }
    }

    /** A source of probes: the pod {@code pod}. */
    Probes from(String pod) {
        return new Probes(this, host(pod));
    }

    /** The node's br-int flows, {@code ovs-ofctl dump-flows}. */
    String flows(String node) {
        return run(
                        Duration.ofSeconds(30),
                        "ovs-ofctl",
                        "-O",
                        "OpenFlow13",
                        "dump-flows",
                        "unix:" + state.resolve("nodes/" + node + "/br-int.mgmt"))
                .output();
    }

    /** The value of {@code key} in the lab's {@code lab.env}. */
    String env(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new IllegalArgumentException("lab.env has no " + key + ": " + env);
        }
        return v;
    }

    /** The names of the lab's nodes. */
    List<String> nodes() {
        return hosts.values().stream()
                .filter(h -> h.kind().equals("node"))
                .map(Host::name)
                .toList();
    }

    /**
     * The node's br-int flows matching {@code match} (e.g. {@code cookie=0xc0ffee/-1}) as {@code
     * ovs-ofctl dump-flows --no-stats} prints them, one per line, sorted (OVS's dump order is not
     * part of a flow).
     */
    List<String> flowLines(String node, String match) {
        Command.Result r = run(
                Duration.ofSeconds(30),
                "ovs-ofctl",
                "-O",
                "OpenFlow13",
                "dump-flows",
                "--no-stats",
                "unix:" + state.resolve("nodes/" + node + "/br-int.mgmt"),
                match);
        if (!r.ok()) {
            throw new IllegalStateException("dump-flows of " + node + " failed: " + r);
        }
        return r.output()
                .lines()
                .filter(l -> l.contains("table=") || l.contains("actions="))
                .sorted()
                .toList();
    }

    /**
     * {@code ofproto/trace} of a packet from pod {@code from} on its node's br-int; from a node, a
     * packet of its own address (br-int's {@code LOCAL} port).
     */
    String trace(Host from, String flow) {
        String port = from.kind().equals("node") ? "LOCAL" : from.ofport();
        return appctl(from.node(), "ofproto/trace", "br-int", "in_port=" + port + "," + flow);
    }

    /** Runs {@code command} in {@code host}'s network namespace; throws when it fails. */
    Command.Result exec(String host, String... command) {
        Command.Result r = tryExec(host, command);
        if (!r.ok()) {
            throw new IllegalStateException("in " + host + ": " + r);
        }
        return r;
    }

    /**
     * Runs {@code command} in {@code host}'s network namespace ({@code ip netns exec}, which mounts a
     * pod's {@code /etc/netns/<netns>/resolv.conf}, the lab's DNS server, over {@code
     * /etc/resolv.conf}); its result, failed or not.
     */
    Command.Result tryExec(String host, String... command) {
        List<String> cmd =
                new ArrayList<>(List.of("ip", "netns", "exec", host(host).netns()));
        cmd.addAll(List.of(command));
        return run(Duration.ofSeconds(30), cmd.toArray(String[]::new));
    }

    /**
     * What the node's datapath holds for packets from {@code from}: its megaflows ({@code
     * dpctl/dump-flows}), conntrack entries ({@code dpctl/dump-conntrack}) and the revalidators'
     * state ({@code upcall/show}), for when the flow table and the packets disagree (a megaflow
     * that outlived the flow table it was translated from).
     */
    String datapath(Host from) {
        String needle = "src=" + from.ip() + ",";
        String needle6 = "src=" + from.ip6() + ",";
        String flows = appctl(from.node(), "dpctl/dump-flows");
        String ct = appctl(from.node(), "dpctl/dump-conntrack")
                .lines()
                .filter(l -> l.contains(needle) || (from.hasIp6() && l.contains(needle6)))
                .reduce("", (a, b) -> a + b + "\n");
        String sources = from.ip() + (from.hasIp6() ? " and " + from.ip6() : "");
        return "datapath flows:\n" + flows + "conntrack entries from " + sources + ":\n" + ct
                + "revalidators (upcall/show):\n" + appctl(from.node(), "upcall/show");
    }

    private String appctl(String node, String... args) {
        Path rd = state.resolve("nodes/" + node);
        try {
            String pid = Files.readString(rd.resolve("ovs-vswitchd.pid")).strip();
            List<String> cmd = new ArrayList<>(List.of(
                    "ovs-appctl",
                    "-t",
                    rd.resolve("ovs-vswitchd." + pid + ".ctl").toString()));
            cmd.addAll(List.of(args));
            return run(Duration.ofSeconds(30), cmd.toArray(String[]::new)).output();
        } catch (IOException e) {
            return "(no ovs-appctl " + List.of(args) + ": " + e + ")";
        }
    }

    Command.Result script(String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("lab/" + name).toString()));
        cmd.addAll(List.of(args));
        return run(Duration.ofMinutes(2), cmd.toArray(String[]::new));
    }

    /**
     * Runs {@code lab/node.sh add}: a node {@code name} with {@code pods} pods joins the lab (its Node
     * and Pods in the API, its controller running); its hosts are known afterwards.
     */
    void addNode(String name, int pods) {
        Command.Result r = run(
                Duration.ofMinutes(3),
                REPO.resolve("lab/node.sh").toString(),
                "add",
                "--state-dir",
                state.toString(),
                "--pods",
                Integer.toString(pods),
                name);
        System.out.println("[lab] node.sh add " + name + " in " + r.millis() + " ms:\n" + r.output());
        load();
        if (!r.ok()) {
            throw new IllegalStateException("lab/node.sh add " + name + " failed:\n" + r.output());
        }
    }

    /** Runs {@code lab/node.sh remove}: the node leaves (API first, then its processes and namespaces). */
    void removeNode(String name) {
        Command.Result r = script("node.sh", "remove", "--state-dir", state.toString(), name);
        System.out.println("[lab] node.sh remove " + name + " in " + r.millis() + " ms:\n" + r.output());
        load();
        if (!r.ok()) {
            throw new IllegalStateException("lab/node.sh remove " + name + " failed:\n" + r.output());
        }
    }

    /** The lines of the lab's creation log ({@code created}, what lab/down.sh undoes). */
    List<String> created() {
        try {
            return Files.readAllLines(state.resolve("created"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What lab/node.sh recorded for a node it added ({@code added/NAME}); empty once it is removed. */
    List<String> addedRecords(String node) {
        Path f = state.resolve("added").resolve(node);
        try {
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether process {@code pid} runs and started at {@code start} (field 22 of its stat). */
    static boolean alive(String pid, String start) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
            return f[19].equals(start) && !f[0].equals("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** The router's IPv6 neighbour table ({@code ip -6 neigh show} in the router namespace), one a line. */
    List<String> routerNeighbours() {
        return run(Duration.ofSeconds(30), "ip", "-n", env("LAB_NET_NETNS"), "-6", "neigh", "show")
                .output()
                .lines()
                .toList();
    }

    /** The network namespaces that exist ({@code ip netns list}). */
    static List<String> netnsList() {
        return run(Duration.ofSeconds(30), "ip", "netns", "list")
                .output()
                .lines()
                .map(l -> l.split(" ", 2)[0])
                .toList();
    }

    /**
     * The packets the lab's kube-proxy (the router's DNAT of the apiserver's ClusterIP, {@code
     * --service-vips pre-dnat}) sent to {@code endpoint} ({@code IP:PORT}) since that endpoint was set;
     * -1 when no rule leads there.
     */
    long kubeProxyPackets(String endpoint) {
        Command.Result r = run(
                Duration.ofSeconds(30),
                "ip",
                "netns",
                "exec",
                env("LAB_NET_NETNS"),
                "iptables",
                "-w",
                "-t",
                "nat",
                "-L",
                "LAB-KUBERNETES",
                "-n",
                "-v",
                "-x");
        return r.output()
                .lines()
                .filter(l -> l.contains("DNAT") && l.strip().endsWith("to:" + endpoint))
                .mapToLong(l -> Long.parseLong(l.strip().split("\\s+")[0]))
                .reduce(-1, (a, b) -> Math.max(a, 0) + b);
    }

    /** Runs {@code lab/down.sh}; throws when it reports that something could not be removed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> created;
        try {
            Path f = state.resolve("created");
            created = Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Command.Result down = script("down.sh", "--state-dir", state.toString());
        System.out.println("[lab] down.sh in " + down.millis() + " ms:\n" + down.output());
        if (!down.ok()) {
            throw new IllegalStateException("lab/down.sh failed:\n" + down.output());
        }
        List<String> left = leftBehind(created);
        if (!left.isEmpty()) {
            throw new IllegalStateException("lab/down.sh left behind: " + left);
        }
    }

    /**
     * What of the recorded namespaces, processes and pods' {@code /etc/netns/<netns>} directories
     * still exists ({@code /etc/netns} itself may stay: another lab's pods may use it). Every veth of
     * the lab is created inside a lab namespace (lab/lib.sh, {@code veth}; pods through attach-pod.sh
     * in theirs), so no namespace left means no veth left.
     */
    static List<String> leftBehind(List<String> created) {
        List<String> left = new ArrayList<>();
        List<String> namespaces = netnsList();
        for (String line : created) {
            String[] f = line.split(" ");
            if (f[0].equals("netns") && namespaces.contains(f[1])) {
                left.add(line);
            } else if (f[0].equals("proc") && alive(f[1], f[2])) {
                left.add(line);
            } else if (f[0].equals("etcdir") && !f[1].equals("/etc/netns") && Files.exists(Path.of(f[1]))) {
                left.add(line);
            }
        }
        return left;
    }

    /** Runs a command in the repository, its output stdout and stderr together, as the lab's scripts print it. */
    static Command.Result run(Duration timeout, String... command) {
        return Command.of(command)
                .directory(REPO)
                .mergeStderr()
                .timeout(timeout)
                .run();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
