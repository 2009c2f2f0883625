package io.ovsanp.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need something of the machine (root, Open vSwitch, a program): where
 * it is missing, the test is skipped with the reason; with {@code CI=true} it fails instead, since
 * CI installs everything ({@code .ci/run}) and a silent skip there would hide breakage.
 *
 * <p>Call it first in {@code @BeforeEach} or in the test: an abort in {@code @BeforeAll} is reported
 * by surefire and failsafe 3.5 as "Tests run: 0, Skipped: 0", which hides the skip. Each reason is
 * also printed to stderr once, since the console shows only the count of skipped tests.
 */
public final class Needs {
    /** The programs {@link PrivateOvs} runs. */
    static final List<String> OVS_PROGRAMS =
            List.of("ovs-vswitchd", "ovsdb-server", "ovsdb-tool", "ovs-vsctl", "ovs-ofctl", "ovs-appctl", "ip");

    /** The OVS database schema: the Debian {@code openvswitch-common} package's, or a source install's. */
    private static final List<Path> SCHEMAS = List.of(
            Path.of("/usr/share/openvswitch/vswitch.ovsschema"),
            Path.of("/usr/local/share/openvswitch/vswitch.ovsschema"));

    private static final Set<String> REPORTED = new HashSet<>();

    private Needs() {}

    /** A private Open vSwitch ({@link PrivateOvs}): root, the OVS and iproute2 programs, the schema. */
    public static void ovs() {
        List<String> problems = ovsProblems();
        decide(
                problems.isEmpty()
                        ? problems
                        : List.of("a private Open vSwitch cannot run here: " + String.join("; ", problems)),
                "install with: apt-get install openvswitch-switch iproute2, and run as root",
                ci());
    }

    /** Effective uid 0 (network namespaces, veths, daemons). */
    public static void root() {
        decide(isRoot() ? List.of() : List.of("not running as root"), "run as root", ci());
    }

    /** Every one of {@code programs} on the {@code PATH}. */
    public static void command(String... programs) {
        List<String> missing = new ArrayList<>();
        for (String p : programs) {
            if (!onPath(p, System.getenv())) {
                missing.add(p + " is not installed");
            }
        }
        decide(missing, ".ci/run installs it", ci());
    }

    /** Something else this machine must have, e.g. a plugin directory: {@code present} says whether it does. */
    public static void installed(String what, boolean present) {
        decide(present ? List.of() : List.of(what + " is not installed"), ".ci/run installs it", ci());
    }

    /** What keeps a private OVS from running here; empty when it can run. */
    public static List<String> ovsProblems() {
        List<String> problems = new ArrayList<>();
        if ("off".equals(System.getProperty("ovsanp.ovs"))) {
            problems.add("disabled with -Dovsanp.ovs=off");
        }
        if (!isRoot()) {
            problems.add("not running as root (needs ip netns and OVS daemons)");
        }
        List<String> missing =
                OVS_PROGRAMS.stream().filter(p -> !onPath(p, System.getenv())).toList();
        if (!missing.isEmpty()) {
            problems.add("not on PATH: " + String.join(", ", missing));
        }
        if (schema().isEmpty()) {
            problems.add("schema " + SCHEMAS.get(0) + " missing");
        }
        return problems;
    }

    /** The vswitch database schema OVS installed. */
    static Optional<Path> schema() {
        return SCHEMAS.stream().filter(Files::isReadable).findFirst();
    }

    /**
     * Nothing when there are no {@code problems}; else skips the test with them and the {@code remedy},
     * or fails it when {@code ci}.
     */
    static void decide(List<String> problems, String remedy, boolean ci) {
        if (problems.isEmpty()) {
            return;
        }
        String message = String.join("; ", problems) + " (" + remedy + ")";
        if (ci) {
            Assertions.fail("CI=true, so this is a failure, not a skip: " + message);
        }
        synchronized (REPORTED) {
            if (REPORTED.add(message)) {
                System.err.println("[ovs-anp] skipping: " + message);
            }
        }
        Assumptions.abort(message);
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Effective uid 0, read from {@code /proc/self/status} (no JDK API exposes the uid). */
    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+"))
                    .anyMatch(f -> f.length > 2 && f[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code program} is an executable file in one of the {@code PATH} directories of {@code env}. */
    static boolean onPath(String program, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
