package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: {@code ovs-anp compile} output for every example (with the arguments of the example's
 * {@code ovs-anp.args}, if it has one), reviewed as diffs. Regenerate with
 * {@code ./mvnw test -pl ovs-controller -Dtest=GoldenFilesTest -Dgolden.update=true} and read the diff.
 */
class GoldenFilesTest {
    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(CliRun.repo().resolve("examples"))) {
            return s
                    .filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("_"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    /** The words of {@code ovs-anp.args} in the example, if any: arguments every command of the story takes. */
    static List<String> extraArgs(Path example) throws IOException {
        Path f = example.resolve("ovs-anp.args");
        if (!Files.exists(f)) {
            return List.of();
        }
        return List.of(Files.readString(f).trim().split("\\s+"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void compileOutputMatchesTheGoldenFile(Path example) throws IOException {
        List<String> args = new ArrayList<>(List.of("compile", "--cluster", example.toString(), "--stats"));
        args.addAll(extraArgs(example));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        Path golden = CliRun.repo()
                .resolve("ovs-controller/src/test/resources/golden")
                .resolve(example.getFileName() + ".flows");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, r.out());
        }
        assertThat(golden)
                .as("missing golden file; run with -Dgolden.update=true")
                .exists();
        List<String> expected = Files.readAllLines(golden);
        assertThat(r.out().lines().toList()).containsExactlyElementsOf(expected);
    }
}
