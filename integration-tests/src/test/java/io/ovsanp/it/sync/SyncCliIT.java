package io.ovsanp.it.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.it.ovs.Bridge;
import io.ovsanp.it.ovs.OvsSupport;
import io.ovsanp.it.ovs.PrivateOvs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code bin/ovs-anp sync --once} against a fresh bridge, then {@code bin/ovs-anp diff}: exit 0 both. */
class SyncCliIT {
    record Run(int exit, String output) {}

    static Run ovsAnp(PrivateOvs ovs, String... args) throws Exception {
        Path repo = Path.of(System.getProperty("ovsanp.repo", ".."))
                .toAbsolutePath()
                .normalize();
        java.util.List<String> cmd = new java.util.ArrayList<>(
                java.util.List.of(repo.resolve("bin/ovs-anp").toString()));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(repo.toFile());
        pb.environment().put("OVS_RUNDIR", ovs.runDir().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void syncOnceThenDiffShowsTheSwitchHoldsTheCompiledFlows() throws Exception {
        OvsSupport.assumeOvsAvailable();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            String sw = "unix:" + bridge.mgmtSocket();
            Run sync = ovsAnp(
                    ovs,
                    "sync",
                    "--cluster",
                    "examples/node-ports-blocked",
                    "--node",
                    "worker-1",
                    "--switch",
                    sw,
                    "--once");
            assertThat(sync.exit()).as(sync.output()).isZero();
            assertThat(sync.output()).contains("node=worker-1").contains("+43 ~0 -0");
            Run diff = ovsAnp(
                    ovs, "diff", "--cluster", "examples/node-ports-blocked", "--node", "worker-1", "--switch", sw);
            assertThat(diff.exit()).as(diff.output()).isZero();
            assertThat(bridge.dumpFlows()).hasSize(43).anyMatch(f -> f.contains("conj_id=1"));
            Run other = ovsAnp(
                    ovs,
                    "diff",
                    "--cluster",
                    "examples/internet-blocked-intranet-allowed",
                    "--node",
                    "worker-1",
                    "--switch",
                    sw);
            assertThat(other.exit()).as(other.output()).isEqualTo(1);
            assertThat(other.output()).contains("+ table=3").contains("- table=3");
            Run again = ovsAnp(
                    ovs,
                    "sync",
                    "--cluster",
                    "examples/node-ports-blocked",
                    "--node",
                    "worker-1",
                    "--switch",
                    sw,
                    "--once");
            assertThat(again.output()).contains("+0 ~0 -0");
        }
    }
}
