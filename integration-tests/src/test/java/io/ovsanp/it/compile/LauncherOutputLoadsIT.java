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
 * The contract of {@code ovs-anp compile}: for every example and every node, {@code bin/ovs-anp
 * compile --cluster examples/STORY --node N | ovs-ofctl -O OpenFlow13 add-flows BRIDGE -} loads
 * without error into a {@code fail_mode=secure} bridge, and the switch then holds one flow per
 * printed line. An example's {@code ovs-anp.args} (extra arguments of its story) is passed along.
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
                for (String node : List.of("cp-1", "worker-1", "worker-2")) {
                    bridge.delFlows();
                    Path out = Files.createTempFile("ovsanp-compile", ".flows");
                    String pipeline = "set -o pipefail; '" + repo.resolve("bin/ovs-anp") + "' compile --cluster '"
                            + example + "' --node " + node + extra + " | tee '" + out
                            + "' | ovs-ofctl -O OpenFlow13 add-flows " + bridge.target() + " -";
                    Command.Result r = ovs.command("bash", "-c", pipeline)
                            .mergeStderr()
                            .timeout(Duration.ofMinutes(5))
                            .run();
                    assertThat(r.timedOut()).isFalse();
                    assertThat(r.exit())
                            .as(example + " " + node + ":\n" + r.output())
                            .isZero();
                    long lines = Files.readAllLines(out).stream()
                            .filter(l -> !l.isBlank() && !l.startsWith("#"))
                            .count();
                    Files.delete(out);
                    assertThat(bridge.dumpFlows()).as(example + " " + node).hasSize((int) lines);
                    loaded++;
                }
            }
        }
        assertThat(loaded).isEqualTo(3 * examples.size()).isGreaterThanOrEqualTo(18);
    }
}
