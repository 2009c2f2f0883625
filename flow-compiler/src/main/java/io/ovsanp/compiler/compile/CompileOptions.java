package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import java.util.Objects;

/**
 * Pipeline placement, the cookie generation to stamp on flows, and whether the pipeline sees Service
 * ClusterIPs before DNAT ({@link ServiceVips}; {@link ServiceVips#NONE} by default), and which
 * decided flows copy packets for the audit log ({@link AuditCopy#OFF} by default).
 */
public record CompileOptions(PipelineSpec pipeline, int generation, ServiceVips serviceVips, AuditCopy audit) {
    public static final CompileOptions DEFAULT = new CompileOptions(PipelineSpec.standalone(), 1);

    public CompileOptions {
        Objects.requireNonNull(serviceVips, "serviceVips");
        Objects.requireNonNull(audit, "audit");
    }

    public CompileOptions(PipelineSpec pipeline, int generation, ServiceVips serviceVips) {
        this(pipeline, generation, serviceVips, AuditCopy.OFF);
    }

    public CompileOptions(PipelineSpec pipeline, int generation) {
        this(pipeline, generation, ServiceVips.NONE);
    }

    public CompileOptions withServiceVips(ServiceVips vips) {
        return new CompileOptions(pipeline, generation, vips, audit);
    }

    public CompileOptions withAudit(AuditCopy copy) {
        return new CompileOptions(pipeline, generation, serviceVips, copy);
    }
}
