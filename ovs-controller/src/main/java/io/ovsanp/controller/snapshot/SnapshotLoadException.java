package io.ovsanp.controller.snapshot;

import java.util.List;

/**
 * Input that cannot be read as a set of Kubernetes objects: missing or unreadable paths, files that
 * are not UTF-8, YAML syntax errors, documents that are not mappings, objects without kind,
 * apiVersion or metadata.name, built-in objects the fabric8 model cannot bind, duplicate objects,
 * inputs without any object. Each of {@link #lines()} is one line meant for the user that names the
 * file, the document and list item as {@link io.ovsanp.compiler.diag.SourceRef} renders them, and
 * the field or line when known; at most {@link InputErrors#PER_FILE} per file and a summary line.
 * Problems inside readable policies are diagnostics, never this.
 */
public final class SnapshotLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> lines;

    public SnapshotLoadException(String message) {
        this(List.of(message));
    }

    public SnapshotLoadException(String message, Throwable cause) {
        super(message, cause);
        this.lines = List.of(message);
    }

    /** One exception for several problems, in the order they were found. */
    public SnapshotLoadException(List<String> lines) {
        super(String.join("\n", lines));
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a load error without a message");
        }
        this.lines = List.copyOf(lines);
    }

    /** The problems, one line each ({@link #getMessage()} is them joined by newlines). */
    public List<String> lines() {
        return lines;
    }
}
