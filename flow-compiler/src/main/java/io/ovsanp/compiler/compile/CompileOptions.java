package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.pipeline.PipelineSpec;

/** Pipeline placement and the cookie generation to stamp on flows. */
public record CompileOptions(PipelineSpec pipeline, int generation) {
    public static final CompileOptions DEFAULT = new CompileOptions(PipelineSpec.standalone(), 1);
}
