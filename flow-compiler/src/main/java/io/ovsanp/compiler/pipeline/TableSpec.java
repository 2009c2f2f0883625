package io.ovsanp.compiler.pipeline;

import io.ovsanp.compiler.flow.TableId;
import java.util.Set;

/** One table of the pipeline: number, purpose noun, what a miss does, where its flows may jump. */
public record TableSpec(TableId id, String name, String purpose, String miss, Set<String> legalNext) {
    public TableSpec {
        legalNext = Set.copyOf(legalNext);
    }
}
