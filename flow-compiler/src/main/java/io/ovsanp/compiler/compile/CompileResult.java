package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.compiler.flow.FlowSet;
import java.util.List;

/** The desired flows of one node, what was reported while compiling, and the new allocation. */
public record CompileResult(
        String node, FlowSet flows, List<Diagnostic> diagnostics, Allocation allocation, CompileStats stats) {
    public CompileResult {
        diagnostics = List.copyOf(diagnostics);
    }
}
