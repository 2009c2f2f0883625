package io.ovsanp.controller.audit;

import io.ovsanp.compiler.compile.AuditCopy;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the audit log runs: which policies' decided flows copy packets ({@code all}, or those with
 * {@code ovs-anp.io/log: "true"}), through which meter at what rate (packets per second per switch),
 * and where lines go: {@code file} (rotated at {@code maxBytes}, {@code keep} old files) and/or
 * stdout, as text or JSON.
 */
public record AuditOptions(
        boolean all,
        long meterId,
        long rate,
        Optional<Path> file,
        boolean stdout,
        AuditLine.Format format,
        long maxBytes,
        int keep) {
    public AuditOptions {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        if (file.isEmpty() && !stdout) {
            throw new IllegalArgumentException("the audit log needs a file or stdout");
        }
        if (rate < 1 || rate > 0xffff_ffffL) {
            throw new IllegalArgumentException("audit log rate must be 1..4294967295 packets per second: " + rate);
        }
        copy(all, meterId); // validates the meter id
    }

    /** The compiler's side: which flows copy, through which meter. */
    public AuditCopy copy() {
        return copy(all, meterId);
    }

    private static AuditCopy copy(boolean all, long meterId) {
        return AuditCopy.on(all, meterId);
    }
}
