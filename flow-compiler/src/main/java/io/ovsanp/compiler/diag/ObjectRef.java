package io.ovsanp.compiler.diag;

import java.util.Comparator;
import java.util.Objects;

/** Identity of a Kubernetes object named in a diagnostic or a verdict. */
public record ObjectRef(String kind, String namespace, String name, String uid, SourceRef source)
        implements Comparable<ObjectRef> {
    private static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::kind)
            .thenComparing(ObjectRef::namespace)
            .thenComparing(ObjectRef::name)
            .thenComparing(ObjectRef::uid);

    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        uid = uid == null ? "" : uid;
        source = source == null ? SourceRef.NONE : source;
    }

    public static ObjectRef cluster(String kind, String name) {
        return new ObjectRef(kind, "", name, "", SourceRef.NONE);
    }

    /** {@code Kind/name} or {@code Kind/namespace/name}. */
    public String display() {
        return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    @Override
    public int compareTo(ObjectRef o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return display();
    }
}
