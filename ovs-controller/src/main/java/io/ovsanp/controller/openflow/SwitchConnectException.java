package io.ovsanp.controller.openflow;

/**
 * A connection that never became usable: refused or unreachable, TLS refused (either side did not
 * accept the other's certificate), no common OpenFlow version, an ERROR instead of HELLO or
 * FEATURES_REPLY, the peer closing, or the handshake timing out.
 */
public final class SwitchConnectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SwitchConnectException(String message) {
        super(message);
    }

    public SwitchConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
