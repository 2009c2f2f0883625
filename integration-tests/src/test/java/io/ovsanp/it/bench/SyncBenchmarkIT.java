package io.ovsanp.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileResult;
import io.ovsanp.compiler.compile.Compiler;
import io.ovsanp.compiler.flow.FlowDiff;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import io.ovsanp.compiler.testing.BigCluster;
import io.ovsanp.controller.openflow.OfConnection;
import io.ovsanp.controller.openflow.SwitchConnector;
import io.ovsanp.controller.openflow.SwitchTarget;
import io.ovsanp.controller.switches.Reconciler;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (nothing about speed is asserted): ovs-anp's sync engine against ovs-ofctl on
 * the same private switch, in one run, so the ratios hold on a noisy machine. Run with
 *
 * <pre>./mvnw -B verify -pl integration-tests -am -Dovsanp.bench=true -Dit.test=SyncBenchmarkIT \
 *     -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true</pre>
 *
 * and read the table it prints (also written to integration-tests/target/sync-benchmark.md).
 */
class SyncBenchmarkIT {
    static final int RULES = 2200;
    static final int RUNS = Integer.getInteger("ovsanp.bench.runs", 5);

    @Test
    void syncAgainstOvsOfctl() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("ovsanp.bench"), "benchmark: run with -Dovsanp.bench=true");
        Needs.ovs();
        long t0 = System.nanoTime();
        CompileResult gen0 = Compiler.compile(BigCluster.of(RULES, 0.01, 0), "n0", Allocation.EMPTY);
        long compileNanos = System.nanoTime() - t0;
        CompileResult gen1 = Compiler.compile(BigCluster.of(RULES, 0.01, 1), "n0", gen0.allocation());
        int changed = FlowDiff.between(gen0.flows().flows(), gen1.flows()).size();
        Path dir = Files.createTempDirectory("ovsanp-bench");
        Path f0 = dir.resolve("gen0.flows");
        Path f1 = dir.resolve("gen1.flows");
        Files.writeString(f0, OfctlRenderer.renderAll(gen0.flows(), CompileOptions.DEFAULT.pipeline()));
        Files.writeString(f1, OfctlRenderer.renderAll(gen1.flows(), CompileOptions.DEFAULT.pipeline()));
        List<Long> ofctlAdd = new ArrayList<>();
        List<Long> syncAdd = new ArrayList<>();
        List<Long> ofctlReplace = new ArrayList<>();
        List<Long> syncChange = new ArrayList<>();
        List<Long> trackedChange = new ArrayList<>();
        List<Long> ofctlAddCpu = new ArrayList<>();
        List<Long> syncAddCpu = new ArrayList<>();
        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge br = ovs.addBridge("br-int");
            SwitchTarget target = SwitchTarget.parse("unix:" + br.mgmtSocket());
            for (int run = 0; run < RUNS; run++) {
                br.delFlows();
                long cpu0 = ovs.vswitchdCpuMillis();
                ofctlAdd.add(
                        time(() -> br.ofctl("-O", "OpenFlow13", "--bundle", "add-flows", br.target(), f0.toString())));
                ofctlAddCpu.add(ovs.vswitchdCpuMillis() - cpu0);
                br.ofctl("-O", "OpenFlow13", "--bundle", "replace-flows", br.target(), f1.toString());
                ofctlReplace.add(time(
                        () -> br.ofctl("-O", "OpenFlow13", "--bundle", "replace-flows", br.target(), f0.toString())));
                br.delFlows();
                long cpu1 = ovs.vswitchdCpuMillis();
                syncAdd.add(time(() -> sync(target, gen0)));
                syncAddCpu.add(ovs.vswitchdCpuMillis() - cpu1);
                syncChange.add(time(() -> sync(target, gen1)));
                try (OfConnection c = connect(target)) {
                    Reconciler tracked = new Reconciler(c, Duration.ofMinutes(2));
                    tracked.audit(gen1.flows());
                    trackedChange.add(time(() -> System.out.println(
                            "tracked: " + tracked.converge(gen0.flows()).summary())));
                }
                assertThat(br.dumpFlows()).hasSize(gen0.flows().size());
            }
        }
        String report = String.format(
                "| measurement (%d runs, medians) | ovs-anp | ovs-ofctl | ratio |%n|---|---|---|---|%n"
                        + "| initial install of %,d flows | %s (sync: connect, dump, diff, one bundle) | %s (`--bundle add-flows`) | %.2f |%n"
                        + "| 1%% change (%,d flow-mods) | %s (sync from a fresh connection: dump + diff + bundle) | %s (`--bundle replace-flows`) | %.3f |%n"
                        + "| 1%% change, controller's tracked view (no dump) | %s | | %.3f |%n"
                        + "| compile of the node (%,d rules) | %s | | |%n"
                        + "| ovs-vswitchd CPU during the initial install | %d ms | %d ms | |%n",
                RUNS,
                gen0.flows().size(),
                ms(median(syncAdd)),
                ms(median(ofctlAdd)),
                (double) median(syncAdd) / median(ofctlAdd),
                changed,
                ms(median(syncChange)),
                ms(median(ofctlReplace)),
                (double) median(syncChange) / median(ofctlReplace),
                ms(median(trackedChange)),
                (double) median(trackedChange) / median(ofctlReplace),
                RULES,
                ms(compileNanos),
                median(syncAddCpu),
                median(ofctlAddCpu));
        System.out.println(report);
        Files.writeString(Path.of("target/sync-benchmark.md"), report);
    }

    private static void sync(SwitchTarget target, CompileResult r) throws Exception {
        try (OfConnection c = connect(target)) {
            System.out.println("sync: "
                    + new Reconciler(c, Duration.ofMinutes(2)).audit(r.flows()).summary());
        }
    }

    /** utime + stime of a process from /proc/PID/stat, in milliseconds (USER_HZ = 100). */
    private static OfConnection connect(SwitchTarget target) throws Exception {
        return SwitchConnector.connect(target, Optional.empty()).get(30, TimeUnit.SECONDS);
    }

    interface Step {
        void run() throws Exception;
    }

    private static long time(Step s) throws Exception {
        long start = System.nanoTime();
        s.run();
        return System.nanoTime() - start;
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static String ms(long nanos) {
        return String.format("%.0f ms", nanos / 1e6);
    }
}
