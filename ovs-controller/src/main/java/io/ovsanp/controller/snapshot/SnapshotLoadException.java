package io.ovsanp.controller.snapshot;

/**
 * Input that cannot be read as Kubernetes objects at all: unreadable files, YAML syntax errors,
 * documents that are not mappings, objects without kind, apiVersion or metadata.name, and built-in
 * objects the fabric8 model cannot bind. The message is one line meant for the user and names the
 * file, the document (0-based, as in {@link io.ovsanp.compiler.diag.SourceRef}), the list item and
 * the field or line when known. Problems inside readable policies are diagnostics, never this.
 */
public final class SnapshotLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public SnapshotLoadException(String message) {
        super(message);
    }

    public SnapshotLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
