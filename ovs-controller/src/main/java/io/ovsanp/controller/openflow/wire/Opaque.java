package io.ovsanp.controller.openflow.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects why well-formed content cannot be expressed in the flow model (an unknown OXM, action
 * or instruction, a variant the model lacks). Decoding goes on after a note so that the rest is
 * still checked for framing errors.
 */
final class Opaque {
    private final List<String> reasons = new ArrayList<>();

    void note(String reason) {
        reasons.add(reason);
    }

    boolean any() {
        return !reasons.isEmpty();
    }

    String reason() {
        return String.join("; ", reasons);
    }
}
