package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.flow.FlowSet;
import java.util.List;

/**
 * The desired flows of one node, what was reported while compiling, the new allocation, and what the
 * compile read ({@link ReadSet}: the rules that apply to the node and what they resolve).
 */
public record CompileResult(
        String node,
        FlowSet flows,
        List<Diagnostic> diagnostics,
        Allocation allocation,
        CompileStats stats,
        ReadSet reads) {
    public CompileResult {
        diagnostics = List.copyOf(diagnostics);
        java.util.Objects.requireNonNull(reads);
    }
}
