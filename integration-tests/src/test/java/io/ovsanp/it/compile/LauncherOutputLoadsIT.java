package io.ovsanp.it.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@code ovs-anp compile}: for every example, {@code bin/ovs-anp compile --cluster
 * examples/STORY} prints every node's flows, each node's section after a {@code # node: N} line, and
 * each section piped to {@code ovs-ofctl -O OpenFlow13 add-flows BRIDGE -} loads without error into a
 * {@code fail_mode=secure} bridge, which then holds one flow per printed line. One launch per
 * example (a JVM start each); {@code --node N} output, the same sections, is compared with the
 * golden files by unit tests. An example's {@code ovs-anp.args} (extra arguments of its story) is
 * passed along.
 */
class LauncherOutputLoadsIT {
    @Test
    void everyExampleAndNodeLoadsThroughOvsOfctl() throws Exception {
        Needs.ovs();
        Path repo = ExamplesOnOvsIT.repo();
        int loaded = 0;
        List<Path> examples = ExamplesOnOvsIT.examples().toList();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            for (Path example : examples) {
                // The story's extra arguments (e.g. --service-vips pre-dnat), plain words.
                Path argsFile = example.resolve("ovs-anp.args");
                String extra = Files.exists(argsFile)
                        ? " " + Files.readString(argsFile).trim()
                        : "";
                Path out = Files.createTempFile("ovsanp-compile", ".flows");
                String compile = "set -o pipefail; '" + repo.resolve("bin/ovs-anp") + "' compile --cluster '" + example
                        + "'" + extra + " > '" + out + "'";
                Command.Result c = ovs.command("bash", "-c", compile)
                        .mergeStderr()
                        .timeout(Duration.ofMinutes(5))
                        .run();
                assertThat(c.timedOut()).isFalse();
                assertThat(c.exit()).as(example + ":\n" + c.output()).isZero();
                java.util.Map<String, List<String>> sections = new java.util.LinkedHashMap<>();
                List<String> current = null; // the lines of the node being read
                for (String line : Files.readAllLines(out)) {
                    if (line.startsWith("# node: ")) {
                        current = new java.util.ArrayList<>();
                        sections.put(line.substring("# node: ".length()).trim(), current);
                    } else if (current != null) {
                        current.add(line);
                    }
                }
                Files.delete(out);
                assertThat(sections.keySet()).as(example.toString()).containsExactly("cp-1", "worker-1", "worker-2");
                for (java.util.Map.Entry<String, List<String>> e : sections.entrySet()) {
                    bridge.delFlows();
                    Path part = Files.createTempFile("ovsanp-node", ".flows");
                    Files.write(part, e.getValue());
                    Command.Result r = ovs.command(
                                    "bash",
                                    "-c",
                                    "ovs-ofctl -O OpenFlow13 add-flows " + bridge.target() + " '" + part + "'")
                            .mergeStderr()
                            .timeout(Duration.ofMinutes(5))
                            .run();
                    Files.delete(part);
                    assertThat(r.exit())
                            .as(example + " " + e.getKey() + ":\n" + r.output())
                            .isZero();
                    long lines = e.getValue().stream()
                            .filter(l -> !l.isBlank() && !l.startsWith("#"))
                            .count();
                    assertThat(bridge.dumpFlows())
                            .as(example + " " + e.getKey())
                            .hasSize((int) lines);
                    loaded++;
                }
            }
        }
        assertThat(loaded).isEqualTo(3 * examples.size()).isGreaterThanOrEqualTo(18);
    }
}
