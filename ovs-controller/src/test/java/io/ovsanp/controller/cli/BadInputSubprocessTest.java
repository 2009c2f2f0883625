package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.controller.testing.CliProcess;
import io.ovsanp.controller.testing.TestPki;
import io.ovsanp.testkit.Command;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command, as a real process (so logback's stderr is captured too), given bad input of every
 * sort: the exit code is 2, the output names the file or flag, and it holds no stack trace and no
 * Java class name. Runs {@link Main} with this JVM's class path, a few processes at a time.
 */
class BadInputSubprocessTest {
    private static final Pattern TRACE_LINE = CliProcess.TRACE_LINE;
    private static final Pattern JAVA_NAME = CliProcess.JAVA_NAME;
    private static final String EXAMPLE =
            CliRun.repo().resolve("examples/node-ports-blocked").toString();

    @TempDir
    static Path dir;

    private static ServerSocket notTls;
    private static final ExecutorService RUNNER = Executors.newFixedThreadPool(3);

    record Case(String name, String expected, List<String> args) {}

    record Outcome(int exit, String output) {}

    @BeforeAll
    static void inputs() throws Exception {
        Files.write(dir.resolve("binary.yaml"), new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        Files.writeString(dir.resolve("empty.yaml"), "# nothing here\n---\n");
        Files.createDirectories(dir.resolve("no-manifests"));
        Files.writeString(dir.resolve("no-manifests/README.md"), "not a manifest\n");
        Files.createDirectories(dir.resolve("dup"));
        for (String f : List.of("a.yaml", "b.yaml")) {
            Files.copy(Path.of(EXAMPLE, "policy.yaml"), dir.resolve("dup").resolve(f));
        }
        Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\n!!!\n");
        Files.write(dir.resolve("binary.pem"), new byte[] {0, (byte) 0xff, 0x30, (byte) 0x82});
        Files.createDirectories(dir.resolve("a-directory"));
        Files.writeString(dir.resolve("unreadable.yaml"), "apiVersion: v1\n");
        Files.setPosixFilePermissions(dir.resolve("unreadable.yaml"), java.util.Set.of());
        Command.of("mkfifo", dir.resolve("fifo.yaml").toString()).runOrThrow();
        // A peer that is not TLS: the handshake fails on its first bytes.
        notTls = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(BadInputSubprocessTest::serveGarbage, "not-tls");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void stop() throws IOException {
        RUNNER.shutdownNow();
        notTls.close();
    }

    private static void serveGarbage() {
        while (!notTls.isClosed()) {
            try (Socket s = notTls.accept();
                    OutputStream out = s.getOutputStream()) {
                out.write("this is not a TLS record at all, only text".repeat(4).getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return; // closed by stop()
            }
        }
    }

    private static String f(String name) {
        return dir.resolve(name).toString();
    }

    private static List<Case> cases() {
        String bin = f("binary.yaml");
        String sw = "unix:" + f("no-such.sock");
        List<String> syncArgs = List.of("--cluster", EXAMPLE, "--node", "worker-1");
        List<String> tlsGarbage =
                List.of("--tls-key", f("garbage.pem"), "--tls-cert", f("garbage.pem"), "--tls-ca", f("garbage.pem"));
        List<String> tlsMissing =
                List.of("--tls-key", f("nope.pem"), "--tls-cert", f("nope.pem"), "--tls-ca", f("nope.pem"));
        List<String> tlsBinary =
                List.of("--tls-key", f("binary.pem"), "--tls-cert", f("binary.pem"), "--tls-ca", f("binary.pem"));
        List<String> tlsDirectory =
                List.of("--tls-key", f("a-directory"), "--tls-cert", f("a-directory"), "--tls-ca", f("a-directory"));
        List<Case> c = new ArrayList<>();
        c.add(new Case(
                "compile missing file",
                "missing.yaml: no such file",
                List.of("compile", "--cluster", f("missing.yaml"))));
        c.add(new Case(
                "compile FIFO", "fifo.yaml: not a regular file", List.of("compile", "--cluster", f("fifo.yaml"))));
        for (String cmd : List.of("compile", "validate")) {
            c.add(new Case(cmd + " binary file", "binary.yaml: not a UTF-8 text file", List.of(cmd, "--cluster", bin)));
            c.add(new Case(cmd + " duplicate", "duplicate object", List.of(cmd, "--cluster", f("dup"))));
        }
        c.add(new Case(
                "compile empty file",
                "empty.yaml: no Kubernetes object",
                List.of("compile", "--cluster", f("empty.yaml"))));
        c.add(new Case(
                "compile dir without manifests",
                "no-manifests: no *.yaml",
                List.of("compile", "--cluster", f("no-manifests"))));
        c.add(new Case(
                "compile bad --format", "--format", List.of("compile", "--cluster", EXAMPLE, "--format", "xml")));
        c.add(new Case(
                "compile bad --first-table",
                "--first-table",
                List.of("compile", "--cluster", EXAMPLE, "--first-table", "x")));
        c.add(new Case(
                "compile unknown flag", "--frobnicate", List.of("compile", "--cluster", EXAMPLE, "--frobnicate")));
        c.add(new Case(
                "explain binary file",
                "binary.yaml",
                List.of("explain", "--cluster", bin, "--from", "shop/web", "--to", "10.0.0.1", "--port", "443")));
        List<String> explain = List.of("explain", "--cluster", EXAMPLE);
        c.add(new Case(
                "explain bad --to", "--to", concat(explain, List.of("--from", "shop/web", "--to", "10.0.0.300"))));
        c.add(new Case(
                "explain bad --port",
                "--port",
                concat(explain, List.of("--from", "shop/web", "--to", "10.0.0.1", "--port", "70000"))));
        c.add(new Case("explain bad --from", "--from", concat(explain, List.of("--from", "web", "--to", "10.0.0.1"))));
        for (String cmd : List.of("sync", "diff")) {
            c.add(new Case(
                    cmd + " binary file",
                    "binary.yaml",
                    List.of(cmd, "--cluster", bin, "--node", "n", "--switch", sw)));
            c.add(new Case(
                    cmd + " ssl without TLS files",
                    "--tls-key",
                    concat(List.of(cmd), syncArgs, List.of("--switch", "ssl:127.0.0.1:1"))));
            c.add(new Case(
                    cmd + " garbage TLS files",
                    "garbage.pem",
                    concat(List.of(cmd), syncArgs, List.of("--switch", "ssl:127.0.0.1:1"), tlsGarbage)));
            // Without --once, sync waits for a switch that is not there yet, by design.
            c.add(new Case(
                    cmd + " no such socket",
                    "no-such.sock",
                    concat(
                            List.of(cmd),
                            cmd.equals("sync") ? List.of("--once") : List.of(),
                            syncArgs,
                            List.of("--switch", sw))));
        }
        c.add(new Case(
                "sync missing TLS files",
                "nope.pem: no such file",
                concat(List.of("sync"), syncArgs, List.of("--switch", "ssl:127.0.0.1:1"), tlsMissing)));
        c.add(new Case(
                "sync bad --switch",
                "--switch",
                concat(List.of("sync", "--once"), syncArgs, List.of("--switch", "carrier-pigeon:x"))));
        c.add(new Case(
                "sync --once binary TLS files",
                "binary.pem",
                concat(List.of("sync", "--once"), syncArgs, List.of("--switch", "ssl:127.0.0.1:1"), tlsBinary)));
        c.add(new Case(
                "sync TLS files that are directories",
                "a-directory: is a directory",
                concat(List.of("sync"), syncArgs, List.of("--switch", "ssl:127.0.0.1:1"), tlsDirectory)));
        c.add(new Case(
                "sync TLS files for tcp",
                "--tls-key",
                concat(List.of("sync", "--once"), syncArgs, List.of("--switch", "tcp:127.0.0.1:1"), tlsGarbage)));
        c.add(new Case(
                "sync bad --timeout",
                "--timeout",
                concat(List.of("sync", "--once"), syncArgs, List.of("--switch", sw, "--timeout", "soon"))));
        c.add(new Case(
                "sync negative --poll-interval",
                "--poll-interval",
                concat(List.of("sync"), syncArgs, List.of("--switch", "tcp:127.0.0.1:1", "--poll-interval", "-1s"))));
        c.add(new Case(
                "sync peer that is not TLS",
                "TLS handshake",
                concat(
                        List.of("sync", "--once"),
                        syncArgs,
                        List.of("--switch", "ssl:127.0.0.1:" + notTls.getLocalPort()),
                        tlsFromPki())));
        c.add(new Case(
                "run ssl without TLS files", "--switch", List.of("run", "--node", "n", "--switch", "ssl:127.0.0.1:1")));
        c.add(new Case(
                "run garbage TLS files",
                "garbage.pem",
                concat(List.of("run", "--node", "n", "--switch", "ssl:127.0.0.1:1"), tlsGarbage)));
        c.add(new Case("run pssl without TLS files", "--listen", List.of("run", "--listen", "pssl:0")));
        c.add(new Case(
                "run pssl missing TLS files", "nope.pem", concat(List.of("run", "--listen", "pssl:0"), tlsMissing)));
        c.add(new Case(
                "run pssl binary TLS files", "binary.pem", concat(List.of("run", "--listen", "pssl:0"), tlsBinary)));
        c.add(new Case(
                "run missing kubeconfig",
                "--kubeconfig",
                List.of("run", "--node", "n", "--switch", sw, "--kubeconfig", f("missing.yaml"))));
        c.add(new Case("run bad --listen", "--listen", List.of("run", "--listen", "tcp:")));
        c.add(new Case(
                "run bad --audit-interval",
                "--audit-interval",
                List.of("run", "--node", "n", "--switch", sw, "--audit-interval", "0s")));
        c.add(new Case(
                "run bad --metrics-address",
                "--metrics-address",
                List.of("run", "--node", "n", "--switch", sw, "--metrics-address", "everywhere")));
        if (!isRoot()) {
            // Root reads a file whatever its mode; the FIFO and directory cases cover root.
            c.add(new Case(
                    "compile unreadable file",
                    "unreadable.yaml: cannot read: permission denied",
                    List.of("compile", "--cluster", f("unreadable.yaml"))));
        }
        return c;
    }

    /** A valid key, certificate and CA, when openssl is there; else files that fail before any connect. */
    private static List<String> tlsFromPki() {
        if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            return List.of("--tls-key", f("garbage.pem"), "--tls-cert", f("garbage.pem"), "--tls-ca", f("garbage.pem"));
        }
        Path pki = dir.resolve("pki");
        try {
            Files.createDirectories(pki);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path ca = TestPki.ca(pki, "test");
        Path cert = TestPki.leaf(pki, ca, "controller");
        return List.of(
                "--tls-key",
                pki.resolve("controller.key").toString(),
                "--tls-cert",
                cert.toString(),
                "--tls-ca",
                ca.toString());
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    @TestFactory
    Stream<DynamicTest> everyCommandRefusesBadInputWithExitTwoAndOneClearMessage() {
        List<Case> cases = cases();
        List<Future<Outcome>> runs =
                cases.stream().map(c -> RUNNER.submit(() -> run(c.args()))).toList();
        return java.util.stream.IntStream.range(0, cases.size()).mapToObj(i -> {
            Case c = cases.get(i);
            return DynamicTest.dynamicTest(c.name(), () -> {
                Outcome o = runs.get(i).get(120, TimeUnit.SECONDS);
                String shown = String.join(" ", c.args()) + "\n" + o.output();
                assertThat(o.exit()).as(shown).isEqualTo(Main.EXIT_BAD_INPUT);
                assertThat(o.output()).as(shown).contains(c.expected()).containsPattern("(?m)^error: ");
                assertThat(TRACE_LINE.matcher(o.output()).find()).as(shown).isFalse();
                assertThat(JAVA_NAME.matcher(o.output()).find()).as(shown).isFalse();
            });
        });
    }

    /** {@code java -cp <this class path> Main args}; stdout and stderr together. */
    private static Outcome run(List<String> args) {
        Command.Result r = CliProcess.run(Main.class, args);
        return r.timedOut()
                ? new Outcome(-1, r.stdout() + "\n(still running after 60 s)")
                : new Outcome(r.exit(), r.stdout());
    }
}
