package io.ovsanp.compiler.sim;

import io.ovsanp.compiler.flow.Flow;
import io.ovsanp.compiler.ofctl.OfctlRenderer;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The packet meets flows whose outcome OVS leaves unspecified: overlapping hard flows at the
 * winning priority (OpenFlow 1.3 §6.4: "the selected flow entry is not defined"), or two
 * conjunctions completing at one priority with different results (ovs-fields(7), "Conjunctive
 * Match Fields"). The compiler must never produce either, so the simulator refuses to pick one.
 */
public final class AmbiguousLookupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Flow> flows;

    public AmbiguousLookupException(String reason, List<Flow> flows) {
        super(reason + ":\n  "
                + flows.stream()
                        .map(f -> f == null ? "(no conj_id flow)" : OfctlRenderer.render(f))
                        .collect(Collectors.joining("\n  ")));
        this.flows = flows.stream().filter(Objects::nonNull).toList();
    }

    /** The competing flows. */
    public List<Flow> flows() {
        return flows;
    }
}
