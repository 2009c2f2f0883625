package io.ovsanp.it.ovs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides whether this machine can run {@link PrivateOvs}: root, the OVS and iproute2 programs on
 * the {@code PATH}, and the vswitch schema.
 *
 * <p>On a developer machine without OVS the OVS tests are skipped. With {@code CI=true} they fail
 * instead: CI always installs OVS (see {@code .ci/run}), and a silent skip there would hide breakage.
 */
public final class OvsSupport {
    /** The programs {@link PrivateOvs} runs. */
    static final List<String> PROGRAMS =
            List.of("ovs-vswitchd", "ovsdb-server", "ovsdb-tool", "ovs-vsctl", "ovs-ofctl", "ovs-appctl", "ip");

    /** The OVS database schema shipped by the Debian {@code openvswitch-common} package. */
    static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");

    private static boolean reported;

    private OvsSupport() {}

    /**
     * Skips the calling test (or fails it when {@code CI=true}) unless a private OVS can be started.
     * Call it first in {@code @BeforeEach}: an abort in {@code @BeforeAll} is reported by surefire and
     * failsafe 3.5 as "Tests run: 0, Skipped: 0", which hides the skip. The reason is also printed to
     * stderr once, since the console shows only the count of skipped tests.
     */
    public static void assumeOvsAvailable() {
        List<String> problems = problems();
        boolean ci = "true".equals(System.getenv("CI"));
        synchronized (OvsSupport.class) {
            if (!problems.isEmpty() && !ci && !reported) {
                reported = true;
                System.err.println("[ovs-anp] skipping OVS tests: " + String.join("; ", problems));
            }
        }
        decide(problems, ci);
    }

    /** Skips on problems, or fails when {@code ci}; does nothing when there are none. */
    static void decide(List<String> problems, boolean ci) {
        if (problems.isEmpty()) {
            return;
        }
        String message = "a private Open vSwitch cannot run here: " + String.join("; ", problems)
                + " (install with: apt-get install openvswitch-switch iproute2, and run as root)";
        if (ci) {
            Assertions.fail("CI=true, so this is a failure, not a skip: " + message);
        }
        Assumptions.abort(message);
    }

    /** What is missing on this machine; empty when a private OVS can run. */
    static List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add("not running as root (needs ip netns and OVS daemons)");
        }
        List<String> missing =
                PROGRAMS.stream().filter(p -> !onPath(p, System.getenv())).toList();
        if (!missing.isEmpty()) {
            problems.add("not on PATH: " + String.join(", ", missing));
        }
        if (!Files.isReadable(SCHEMA)) {
            problems.add("schema " + SCHEMA + " missing");
        }
        return problems;
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

    /** Whether {@code program} is an executable file in one of the {@code PATH} directories. */
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
