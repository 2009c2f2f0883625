package io.ovsanp.it.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball, unpacked where it was not built, run with an environment that has no Java
 * ({@code env -i}, a PATH of only the few tools the launcher uses, no JAVA_HOME): {@code --version}
 * prints the POM version, {@code compile} compiles a snapshot, the AppCDS archive the launcher makes on
 * first use maps, and {@code sync --once} converges a real switch (netty's native transport on the
 * jlink'd runtime).
 */
class DistributionIT {
    private static final String EXAMPLE =
            Release.REPO.resolve("examples/node-ports-blocked").toString();

    @TempDir
    static Path dir;

    static Path home;
    static Path tools;

    @BeforeAll
    static void unpack() throws IOException {
        assertThat(Release.tarball()).as("built by `./mvnw package`").isRegularFile();
        Command.of("tar", "-xzf", Release.tarball().toString(), "-C", dir.toString())
                .runOrThrow();
        home = dir.resolve(Release.distName());
        // The launcher's tools and nothing else: no java on this PATH.
        tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("bash", "dirname", "cat", "mv", "rm")) {
            Path real = Path.of(Command.of("bash", "-c", "command -v " + tool)
                    .runOrThrow()
                    .stdout()
                    .strip());
            Files.createSymbolicLink(tools.resolve(tool), real);
        }
    }

    /** {@code env -i PATH=<tools> [vars] <distribution>/bin/ovs-anp args}, stdout and stderr apart. */
    static Command.Result ovsAnp(Map<String, String> vars, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "-i", "PATH=" + tools));
        vars.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add(home.resolve("bin/ovs-anp").toString());
        cmd.addAll(List.of(args));
        return Command.of(cmd).timeout(Duration.ofMinutes(2)).run();
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        for (String f : List.of(
                "bin/ovs-anp",
                "lib/ovs-anp.jar",
                "lib/ovs-anp.classlist",
                "runtime/bin/java",
                "completion/ovs-anp.bash",
                "deploy",
                "LICENSE",
                "NOTICE",
                "README.md")) {
            assertThat(home.resolve(f)).as(f).exists();
        }
        assertThat(Files.isExecutable(home.resolve("bin/ovs-anp"))).isTrue();
        assertThat(home.resolve("runtime/jmods")).doesNotExist();
        assertThat(home.resolve("runtime/include")).doesNotExist();
    }

    @Test
    void itRunsWithoutAJavaOnTheMachineAndUsesItsArchive() throws IOException {
        Command.Result noJava = Command.of("env", "-i", "PATH=" + tools, "bash", "-c", "command -v java")
                .run();
        assertThat(noJava.exit())
                .as("java on the test's PATH: " + noJava.stdout())
                .isNotZero();

        Command.Result version = ovsAnp(Map.of(), "--version");
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.stdout()).startsWith("ovs-anp " + Release.VERSION + " (commit ");

        Command.Result compile = ovsAnp(Map.of(), "compile", "--cluster", EXAMPLE, "--node", "worker-1");
        assertThat(compile.exit()).as(compile.output()).isZero();
        assertThat(compile.stdout())
                .contains("table=0,priority=0,")
                .contains("conj_id=1")
                // UTF-8 without a locale (the launcher sets the output encoding)
                .contains("# table 0: Classifier — ");
        assertThat(compile.stdout()).doesNotContain("[warning]", "[cds");

        // The first run made the archive for this path; the JVM maps it (-Xshare:on fails otherwise).
        assertThat(Files.readString(home.resolve("lib/ovs-anp.jsa.for")).strip())
                .isEqualTo(home.resolve("lib/ovs-anp.jar").toRealPath().toString());
        Command.Result mapped = Command.of(
                        home.resolve("runtime/bin/java").toString(),
                        "-Xshare:on",
                        "-XX:SharedArchiveFile=" + home.resolve("lib/ovs-anp.jsa"),
                        "-jar",
                        home.resolve("lib/ovs-anp.jar").toString(),
                        "--version")
                .run();
        assertThat(mapped.exit()).as(mapped.output()).isZero();

        // Without the archive (OVSANP_CDS=off) the output is the same.
        Command.Result plain =
                ovsAnp(Map.of("OVSANP_CDS", "off"), "compile", "--cluster", EXAMPLE, "--node", "worker-1");
        assertThat(plain.stdout()).isEqualTo(compile.stdout());
    }

    @Test
    void syncOnceConvergesARealSwitch() {
        Needs.ovs();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            Command.Result sync = ovsAnp(
                    Map.of(),
                    "sync",
                    "--cluster",
                    EXAMPLE,
                    "--node",
                    "worker-1",
                    "--switch",
                    "unix:" + bridge.mgmtSocket(),
                    "--once");
            assertThat(sync.exit()).as(sync.output()).isZero();
            assertThat(sync.output()).contains("node=worker-1");
            assertThat(bridge.dumpFlows()).isNotEmpty().anyMatch(f -> f.contains("conj_id=1"));
        }
    }
}
