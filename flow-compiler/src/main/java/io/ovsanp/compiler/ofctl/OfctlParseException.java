package io.ovsanp.compiler.ofctl;

/** A flow line that is not ovs-ofctl syntax this module understands; names the token and the line. */
public final class OfctlParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String token;
    private final String line;

    public OfctlParseException(String token, String line, String reason) {
        this(token, line, reason, null);
    }

    public OfctlParseException(String token, String line, String reason, Throwable cause) {
        super("cannot parse \"" + token + "\" (" + reason + ") in flow: " + line, cause);
        this.token = token;
        this.line = line;
    }

    /** The offending token (a match field, an action, or the whole line when it has no shape). */
    public String token() {
        return token;
    }

    /** The whole line as given. */
    public String line() {
        return line;
    }
}
