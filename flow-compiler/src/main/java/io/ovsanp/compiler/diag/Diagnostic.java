package io.ovsanp.compiler.diag;

import java.util.Objects;

/**
 * A problem with user input, reported once and never thrown: bad input is data (docs/style.md, "Errors").
 * {@code path} is the field path inside the object, e.g. {@code spec.egress[2].to[0].networks[1]}.
 *
 * <p>{@code unenforced} marks a valid part of a policy that ovs-anp does not realise (a warning, since
 * the input is valid): it must never hide behind a {@code Ready=True} condition, so the controller logs
 * it, writes an Event for it and sets {@code Ready=False} with reason {@code NotEnforced}.
 */
public record Diagnostic(Severity severity, ObjectRef object, String path, String message, boolean unenforced)
        implements Comparable<Diagnostic> {

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(object, "object");
        path = path == null ? "" : path;
        Objects.requireNonNull(message, "message");
        if (unenforced && severity != Severity.WARNING) {
            throw new IllegalArgumentException("an unenforced part is a warning, not " + severity);
        }
    }

    public Diagnostic(Severity severity, ObjectRef object, String path, String message) {
        this(severity, object, path, message, false);
    }

    public static Diagnostic error(ObjectRef object, String path, String message) {
        return new Diagnostic(Severity.ERROR, object, path, message);
    }

    public static Diagnostic warning(ObjectRef object, String path, String message) {
        return new Diagnostic(Severity.WARNING, object, path, message);
    }

    /** A valid part of a policy that is not realised: {@code path} names it, {@code message} says what and why. */
    public static Diagnostic unenforced(ObjectRef object, String path, String message) {
        return new Diagnostic(Severity.WARNING, object, path, message, true);
    }

    public static Diagnostic note(ObjectRef object, String path, String message) {
        return new Diagnostic(Severity.NOTE, object, path, message);
    }

    /** True when this diagnostic is about {@code prefix} or a field below it. */
    public boolean isUnder(String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
    }

    /** One line: {@code error: file (document 2): AdminNetworkPolicy/x spec.priority: message}. */
    public String render() {
        StringBuilder b = new StringBuilder(severity.name().toLowerCase(java.util.Locale.ROOT)).append(": ");
        String src = object.source().toString();
        if (!src.isEmpty()) {
            b.append(src).append(": ");
        }
        b.append(object.display());
        if (!path.isEmpty()) {
            b.append(' ').append(path);
        }
        return b.append(": ").append(message).toString();
    }

    @Override
    public int compareTo(Diagnostic o) {
        int c = object.source().file().compareTo(o.object.source().file());
        if (c == 0) c = object.compareTo(o.object);
        if (c == 0) c = path.compareTo(o.path);
        if (c == 0) c = severity.compareTo(o.severity);
        if (c == 0) c = message.compareTo(o.message);
        return c != 0 ? c : Boolean.compare(unenforced, o.unenforced);
    }
}
