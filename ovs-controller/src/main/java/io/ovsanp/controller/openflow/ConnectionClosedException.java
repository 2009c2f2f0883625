package io.ovsanp.controller.openflow;

/** The connection closed (peer gone, declared dead, protocol error, or closed locally) before a reply came. */
public final class ConnectionClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message) {
        super(message);
    }
}
