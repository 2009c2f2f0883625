package io.ovsanp.controller.openflow;

import io.ovsanp.controller.openflow.wire.ErrorMsg;
import io.ovsanp.controller.openflow.wire.FlowMod;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The switch refused a bundle; it still holds exactly the flows it had before (docs/ovs-notes.md §2.5). Either
 * some BUNDLE_ADD was refused when it arrived, and we discarded the bundle, or the commit failed:
 * then OVS sent the failing flow-mod's error and then OFPBFC_MSG_FAILED for the commit.
 */
public final class BundleRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // records are not Serializable; nobody serializes this
    private final List<Failure> failures;

    @SuppressWarnings("serial")
    private final Optional<ErrorMsg> commitError;

    /**
     * One refused flow-mod.
     *
     * @param flowMod the flow-mod the error names, decoded from its data or else found by its xid
     * @param flow {@code flowMod} in ovs-ofctl text, or the error's data when there is none
     */
    public record Failure(ErrorMsg error, Optional<FlowMod> flowMod, String flow) {
        public Failure {
            Objects.requireNonNull(error);
            Objects.requireNonNull(flowMod);
            Objects.requireNonNull(flow);
        }

        @Override
        public String toString() {
            return error.error().name() + " (xid=0x" + Long.toHexString(error.xid()) + "): " + flow;
        }
    }

    public BundleRejectedException(
            String switchName, long bundleId, List<Failure> failures, Optional<ErrorMsg> commitError) {
        super(message(switchName, bundleId, failures, commitError));
        this.failures = List.copyOf(failures);
        this.commitError = commitError;
    }

    /** Each refused flow-mod with its error, in the order the errors arrived. */
    public List<Failure> failures() {
        return failures;
    }

    /** The error for the COMMIT itself (OFPBFC_MSG_FAILED); empty when we discarded before committing. */
    public Optional<ErrorMsg> commitError() {
        return commitError;
    }

    private static String message(
            String switchName, long bundleId, List<Failure> failures, Optional<ErrorMsg> commitError) {
        StringBuilder b =
                new StringBuilder(switchName).append(" rejected bundle ").append(bundleId);
        b.append(
                commitError.isPresent()
                        ? " at commit (" + commitError.get().error().name() + ")"
                        : ", discarded");
        b.append(": ").append(failures.size()).append(failures.size() == 1 ? " flow-mod failed" : " flow-mods failed");
        for (Failure f : failures) {
            b.append("\n  ").append(f);
        }
        return b.toString();
    }
}
