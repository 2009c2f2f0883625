package io.ovsanp.controller.openflow;

import io.ovsanp.controller.openflow.wire.ErrorMsg;

/** The switch answered a request with OFPT_ERROR (OpenFlow 1.3 §7.4.4). */
public final class OfErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // records are not Serializable; nobody serializes this
    private final ErrorMsg error;

    public OfErrorException(String switchName, ErrorMsg error) {
        super(switchName + " answered " + error.describe());
        this.error = error;
    }

    public ErrorMsg error() {
        return error;
    }
}
