package io.ovsanp.compiler.sim;

import io.ovsanp.compiler.flow.Flow;
import java.util.List;

/**
 * What happened to a packet: {@code allowed} when it reached an output ({@code NORMAL} or a port);
 * every table visit in {@code trace} (one line each, the chosen flow in ovs-ofctl syntax); the
 * chosen flows in order; the ports it was output to; the packet as it left the pipeline.
 */
public record SimResult(
        boolean allowed, List<String> trace, List<Flow> matched, List<Long> outputs, SimPacket finalPacket) {
    public SimResult {
        trace = List.copyOf(trace);
        matched = List.copyOf(matched);
        outputs = List.copyOf(outputs);
    }

    /** The trace as one block of text, for assertion messages. */
    public String traceText() {
        return String.join("\n", trace);
    }
}
