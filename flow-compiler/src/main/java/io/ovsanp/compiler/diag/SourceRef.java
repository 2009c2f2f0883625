package io.ovsanp.compiler.diag;

/**
 * Where an object came from: a file and the 0-based index of the YAML document in it (items of a
 * {@code kind: List} document are addressed as {@code document/item}). {@link #NONE} for objects that
 * came from the Kubernetes API.
 */
public record SourceRef(String file, String document) {
    public static final SourceRef NONE = new SourceRef("", "");

    public static SourceRef of(String file, int document) {
        return new SourceRef(file, Integer.toString(document));
    }

    public SourceRef item(int index) {
        return new SourceRef(file, document + "/items[" + index + "]");
    }

    @Override
    public String toString() {
        return file.isEmpty() ? "" : file + " (document " + document + ")";
    }
}
