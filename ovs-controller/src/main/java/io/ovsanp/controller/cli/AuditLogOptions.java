package io.ovsanp.controller.cli;

import io.ovsanp.controller.audit.AuditLine;
import io.ovsanp.controller.audit.AuditLog;
import io.ovsanp.controller.audit.AuditOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The audit log of {@code ovs-anp run} (README, "Watching it work"; docs/decisions.md, "Audit log"):
 * off unless {@code --audit-log FILE} or {@code --audit-log-stdout} is given. A picocli mixin.
 */
final class AuditLogOptions {
    @Option(
            names = "--audit-log",
            paramLabel = "FILE",
            description = "Write one line per new-connection packet decided by a rule of a policy annotated"
                    + " ovs-anp.io/log: \"true\" (or of every policy with --audit-log-all) to FILE, rotated by size:"
                    + " an allowed connection's first packet(s), every attempt of a denied one.")
    Path file;

    @Option(names = "--audit-log-stdout", description = "Also (or only) write the audit lines to stdout.")
    boolean stdout;

    @Option(
            names = "--audit-log-format",
            defaultValue = "text",
            paramLabel = "text|json",
            description = "Audit line format (default text: key=value).")
    String format = "text";

    @Option(
            names = "--audit-log-all",
            description =
                    "Log the connections every ANP, BANP and ClusterNetworkPolicy rule decides," + " annotated or not.")
    boolean all;

    @Option(
            names = "--audit-log-rate",
            defaultValue = "100",
            paramLabel = "PPS",
            description = "At most this many copied packets per second per switch reach the controller"
                    + " (an OpenFlow meter on the copy; the verdict is never metered). Default 100.")
    long rate = 100;

    @Option(
            names = "--audit-meter-id",
            defaultValue = "42405",
            paramLabel = "N",
            description = "The OpenFlow meter id ovs-anp owns on each switch for the audit copies (default 42405).")
    long meterId = 42405;

    @Option(
            names = "--audit-log-max-size",
            defaultValue = "100",
            paramLabel = "MIB",
            description = "Rotate the audit log file at this many MiB (default 100).")
    long maxMib = 100;

    @Option(
            names = "--audit-log-keep",
            defaultValue = "5",
            paramLabel = "N",
            description = "Keep this many rotated files, FILE.1 (newest) to FILE.N (default 5).")
    int keep = 5;

    /** The settings, or empty when the audit log is off; bad values name their option. */
    Optional<AuditOptions> options() throws BadInput {
        if (file == null && !stdout) {
            if (all) throw new BadInput("--audit-log-all needs --audit-log FILE or --audit-log-stdout");
            return Optional.empty();
        }
        AuditLine.Format f;
        try {
            f = AuditLine.Format.valueOf(format);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--audit-log-format: expected text or json, not '" + format + "'");
        }
        if (maxMib < 1 || maxMib > 1 << 20) throw new BadInput("--audit-log-max-size: 1..1048576 MiB, not " + maxMib);
        if (keep < 0 || keep > 1000) throw new BadInput("--audit-log-keep: 0..1000, not " + keep);
        try {
            return Optional.of(
                    new AuditOptions(all, meterId, rate, Optional.ofNullable(file), stdout, f, maxMib << 20, keep));
        } catch (IllegalArgumentException e) {
            throw new BadInput(
                    (e.getMessage().contains("meter") ? "--audit-meter-id: " : "--audit-log-rate: ") + e.getMessage());
        }
    }

    /** Opens the log {@code options} describe. */
    static AuditLog open(AuditOptions options) throws BadInput {
        try {
            return AuditLog.open(options);
        } catch (IOException | RuntimeException e) {
            throw new BadInput(
                    "--audit-log " + options.file().map(Path::toString).orElse("") + ": " + e.getMessage());
        }
    }
}
