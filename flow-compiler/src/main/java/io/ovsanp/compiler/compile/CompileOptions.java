package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import java.util.Objects;

/**
 * Pipeline placement, the cookie generation to stamp on flows, and whether the pipeline sees Service
 * ClusterIPs before DNAT ({@link ServiceVips}; {@link ServiceVips#NONE} by default), which decided
 * flows copy packets for the audit log ({@link AuditCopy#OFF} by default), and whether DNS answers to
 * the subjects of {@code domainNames} rules are held for the controller to learn from ({@code
 * interceptDns}, on by default: only a running controller resumes them, so {@code sync --once} turns
 * it off; docs/architecture.md, "Names learned from DNS").
 */
public record CompileOptions(
        PipelineSpec pipeline, int generation, ServiceVips serviceVips, AuditCopy audit, boolean interceptDns) {
    public static final CompileOptions DEFAULT = new CompileOptions(PipelineSpec.standalone(), 1);

    public CompileOptions {
        Objects.requireNonNull(serviceVips, "serviceVips");
        Objects.requireNonNull(audit, "audit");
    }

    public CompileOptions(PipelineSpec pipeline, int generation, ServiceVips serviceVips, AuditCopy audit) {
        this(pipeline, generation, serviceVips, audit, true);
    }

    public CompileOptions(PipelineSpec pipeline, int generation, ServiceVips serviceVips) {
        this(pipeline, generation, serviceVips, AuditCopy.OFF);
    }

    public CompileOptions(PipelineSpec pipeline, int generation) {
        this(pipeline, generation, ServiceVips.NONE);
    }

    public CompileOptions withServiceVips(ServiceVips vips) {
        return new CompileOptions(pipeline, generation, vips, audit, interceptDns);
    }

    public CompileOptions withAudit(AuditCopy copy) {
        return new CompileOptions(pipeline, generation, serviceVips, copy, interceptDns);
    }

    public CompileOptions withInterceptDns(boolean on) {
        return new CompileOptions(pipeline, generation, serviceVips, audit, on);
    }
}
