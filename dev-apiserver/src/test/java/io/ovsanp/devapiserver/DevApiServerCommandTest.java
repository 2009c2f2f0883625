package io.ovsanp.devapiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.controller.cli.Main;
import io.ovsanp.controller.testing.CliProcess;
import io.ovsanp.testkit.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ovs-anp-dev-apiserver} as a real process given bad input: exit 2, one {@code error:} line
 * naming the file or flag, no stack trace and no Java class name (the agent's contract, see
 * ovs-controller's BadInputSubprocessTest, whose process runner it shares).
 */
class DevApiServerCommandTest {
    private static final Path POLICY = Path.of("..", "examples", "node-ports-blocked", "policy.yaml");

    @TempDir
    static Path dir;

    @BeforeAll
    static void inputs() throws Exception {
        Files.write(dir.resolve("binary.yaml"), new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        Files.writeString(dir.resolve("empty.yaml"), "# nothing here\n---\n");
        Files.copy(POLICY, dir.resolve("a.yaml"));
        Files.copy(POLICY, dir.resolve("b.yaml"));
    }

    static List<Arguments> cases() {
        return List.of(
                Arguments.of("missing.yaml", List.of("--port", "0", "--seed", f("missing.yaml"))),
                Arguments.of("binary.yaml", List.of("--port", "0", "--seed", f("binary.yaml"))),
                Arguments.of("empty.yaml", List.of("--port", "0", "--seed", f("empty.yaml"))),
                Arguments.of("duplicate object", List.of("--port", "0", "--seed", f("a.yaml"), "--seed", f("b.yaml"))),
                Arguments.of("--port", List.of("--port", "http")),
                Arguments.of("70000", List.of("--port", "70000")),
                Arguments.of("--frobnicate", List.of("--frobnicate")));
    }

    private static String f(String name) {
        return dir.resolve(name).toString();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void badInputExitsTwoWithOneClearMessage(String expected, List<String> args) {
        Command.Result r = CliProcess.run(DevApiServerCommand.class, args);
        String shown = String.join(" ", args) + "\n" + r.stdout();
        assertThat(r.exit()).as(shown).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.stdout()).as(shown).contains(expected).containsPattern("(?m)^error: ");
        assertThat(CliProcess.TRACE_LINE.matcher(r.stdout()).find()).as(shown).isFalse();
        assertThat(CliProcess.JAVA_NAME.matcher(r.stdout()).find()).as(shown).isFalse();
    }
}
