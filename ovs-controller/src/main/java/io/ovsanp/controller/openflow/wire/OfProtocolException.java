package io.ovsanp.controller.openflow.wire;

import io.netty.handler.codec.DecoderException;

/**
 * Bytes that are not a well-formed OpenFlow 1.3 message (or not one this codec accepts). The only
 * exception decoding raises; it extends Netty's {@link DecoderException} so a pipeline passes it to
 * {@code exceptionCaught} unwrapped, where the connection closes the channel (docs/style.md, "Errors").
 */
public final class OfProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    public OfProtocolException(String message) {
        super(message);
    }

    public OfProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
