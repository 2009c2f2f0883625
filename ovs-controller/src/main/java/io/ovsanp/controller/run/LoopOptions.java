package io.ovsanp.controller.run;

import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.controller.dns.DnsLearning;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * How a {@link ControllerLoop} works.
 *
 * @param auditInterval every switch is re-dumped and repaired this often
 * @param coalesce the least time between two snapshot reads (a change after a quiet interval is read
 *     at once; later ones wait for the interval's end and are read together)
 * @param switchTimeout per-request timeout towards a switch
 * @param workers reconciles running in parallel (different nodes)
 * @param compile pipeline placement, generation and compiler options
 * @param mayWrite whether this replica may write flows (leader election; always true in agent mode)
 * @param ruleStatsInterval every converged switch's flow counters are polled this often for the rule
 *     counters ({@link RealisationListener#ruleCounters}); zero: never
 * @param dns how answers held for {@code domainNames} rules are learned from ({@link DnsLearning.Settings})
 * @param verifyInterval every converged switch is verified this often ({@code ovs-anp verify}: all its
 *     flows against the policy, exhaustively; {@link RealisationListener#verified}); zero: never
 */
public record LoopOptions(
        Duration auditInterval,
        Duration coalesce,
        Duration switchTimeout,
        int workers,
        CompileOptions compile,
        BooleanSupplier mayWrite,
        Duration ruleStatsInterval,
        DnsLearning.Settings dns,
        Duration verifyInterval) {
    public static final LoopOptions DEFAULT = new LoopOptions(
            Duration.ofSeconds(60),
            Duration.ofMillis(10),
            Duration.ofSeconds(60),
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
            CompileOptions.DEFAULT,
            () -> true,
            Duration.ZERO,
            DnsLearning.Settings.DEFAULT,
            Duration.ZERO);

    public LoopOptions {
        Objects.requireNonNull(auditInterval);
        Objects.requireNonNull(coalesce);
        Objects.requireNonNull(switchTimeout);
        Objects.requireNonNull(compile);
        Objects.requireNonNull(mayWrite);
        Objects.requireNonNull(ruleStatsInterval);
        Objects.requireNonNull(dns);
        Objects.requireNonNull(verifyInterval);
        if (verifyInterval.isNegative()) throw new IllegalArgumentException("verify interval is negative");
        if (ruleStatsInterval.isNegative()) throw new IllegalArgumentException("rule stats interval is negative");
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1");
        if (auditInterval.isNegative() || auditInterval.isZero()) {
            throw new IllegalArgumentException("audit interval must be positive");
        }
    }

    public LoopOptions withAuditInterval(Duration d) {
        return new LoopOptions(
                d, coalesce, switchTimeout, workers, compile, mayWrite, ruleStatsInterval, dns, verifyInterval);
    }

    public LoopOptions withCoalesce(Duration d) {
        return new LoopOptions(
                auditInterval, d, switchTimeout, workers, compile, mayWrite, ruleStatsInterval, dns, verifyInterval);
    }

    public LoopOptions withSwitchTimeout(Duration d) {
        return new LoopOptions(
                auditInterval, coalesce, d, workers, compile, mayWrite, ruleStatsInterval, dns, verifyInterval);
    }

    public LoopOptions withWorkers(int n) {
        return new LoopOptions(
                auditInterval, coalesce, switchTimeout, n, compile, mayWrite, ruleStatsInterval, dns, verifyInterval);
    }

    public LoopOptions withCompile(CompileOptions c) {
        return new LoopOptions(
                auditInterval, coalesce, switchTimeout, workers, c, mayWrite, ruleStatsInterval, dns, verifyInterval);
    }

    public LoopOptions withMayWrite(BooleanSupplier w) {
        return new LoopOptions(
                auditInterval, coalesce, switchTimeout, workers, compile, w, ruleStatsInterval, dns, verifyInterval);
    }

    public LoopOptions withDns(DnsLearning.Settings d) {
        return new LoopOptions(
                auditInterval,
                coalesce,
                switchTimeout,
                workers,
                compile,
                mayWrite,
                ruleStatsInterval,
                d,
                verifyInterval);
    }

    public LoopOptions withRuleStatsInterval(Duration d) {
        return new LoopOptions(
                auditInterval, coalesce, switchTimeout, workers, compile, mayWrite, d, dns, verifyInterval);
    }

    public LoopOptions withVerifyInterval(Duration d) {
        return new LoopOptions(
                auditInterval, coalesce, switchTimeout, workers, compile, mayWrite, ruleStatsInterval, dns, d);
    }
}
