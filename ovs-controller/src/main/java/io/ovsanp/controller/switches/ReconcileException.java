package io.ovsanp.controller.switches;

/** The switch refused the change (the bundle was discarded; its previous flows are intact) or went away. */
public final class ReconcileException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReconcileException(String message, Throwable cause) {
        super(message, cause);
    }
}
