package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ServiceVips;
import io.ovsanp.compiler.pipeline.PipelineSpec;
import java.util.Objects;

/**
 * Pipeline placement, the cookie generation to stamp on flows, and whether the pipeline sees Service
 * ClusterIPs before DNAT ({@link ServiceVips}; {@link ServiceVips#NONE} by default).
 */
public record CompileOptions(PipelineSpec pipeline, int generation, ServiceVips serviceVips) {
    public static final CompileOptions DEFAULT = new CompileOptions(PipelineSpec.standalone(), 1);

    public CompileOptions {
        Objects.requireNonNull(serviceVips, "serviceVips");
    }

    public CompileOptions(PipelineSpec pipeline, int generation) {
        this(pipeline, generation, ServiceVips.NONE);
    }

    public CompileOptions withServiceVips(ServiceVips vips) {
        return new CompileOptions(pipeline, generation, vips);
    }
}
