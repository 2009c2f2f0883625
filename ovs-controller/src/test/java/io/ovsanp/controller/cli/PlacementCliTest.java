package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PlacementCliTest {
    private static final Pattern TABLE = Pattern.compile("^table=(\\d+),");

    private static String example(String name) {
        return CliRun.repo().resolve("examples").resolve(name).toString();
    }

    private static List<Integer> tables(String out) {
        return out.lines()
                .map(TABLE::matcher)
                .filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1)))
                .toList();
    }

    @Test
    void compileIntoACnisPipelineUsesOnlyTheGivenTablesAndLeavesByTheExit() {
        CliRun r = CliRun.of(
                "compile",
                "--cluster",
                example("node-ports-blocked"),
                "--node",
                "worker-1",
                "--first-table",
                "40",
                "--max-tables",
                "10",
                "--reserved-tables",
                "0-39,50-60",
                "--exit",
                "goto:50",
                "--conntrack",
                "cni",
                "--ct-zone",
                "7",
                "--source-identity",
                "reg6");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(tables(r.out())).isNotEmpty().allMatch(t -> t >= 40 && t <= 49);
        assertThat(r.out())
                .contains("table=40,priority=0")
                .contains("actions=goto_table:50")
                .contains("reg6=")
                .contains("ct(commit,zone=7)")
                .doesNotContain("actions=NORMAL")
                .doesNotContain("nw_src=");
        assertThat(r.out()).as("no conntrack stage of our own").doesNotContain("ct(table=");
    }

    @Test
    void aPlacementOverlappingTheCnisTablesIsRefusedWithExitTwo() {
        CliRun r = CliRun.of(
                "compile",
                "--cluster",
                example("node-ports-blocked"),
                "--node",
                "worker-1",
                "--first-table",
                "10",
                "--reserved-tables",
                "0-12");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("placement refused").contains("reserved table 10");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBackwardGotoExitIsRefusedWithExitTwo() {
        CliRun r = CliRun.of(
                "compile",
                "--cluster",
                example("node-ports-blocked"),
                "--node",
                "worker-1",
                "--first-table",
                "20",
                "--exit",
                "goto:10");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("goto:10").contains("backward");
    }

    @Test
    void anUnknownConntrackModeOrIdentityIsRefused() {
        CliRun ct = CliRun.of(
                "compile", "--cluster", example("node-ports-blocked"), "--node", "worker-1", "--conntrack", "maybe");
        assertThat(ct.exit()).isEqualTo(2);
        assertThat(ct.err()).contains("conntrack \"maybe\"");
        CliRun id = CliRun.of(
                "compile",
                "--cluster",
                example("node-ports-blocked"),
                "--node",
                "worker-1",
                "--source-identity",
                "reg9");
        assertThat(id.exit()).isEqualTo(2);
        assertThat(id.err()).contains("reg0..reg7");
    }

    @Test
    void theDefaultsAreTheStandalonePipeline() {
        CliRun r = CliRun.of("compile", "--cluster", example("node-ports-blocked"), "--node", "worker-1");
        assertThat(r.exit()).isZero();
        assertThat(tables(r.out())).allMatch(t -> t >= 0 && t <= 10).contains(0, 10);
        assertThat(r.out()).contains("ct(table=2,zone=65000)").contains("nw_src=");
    }
}
