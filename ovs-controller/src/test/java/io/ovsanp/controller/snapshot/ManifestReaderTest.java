package io.ovsanp.controller.snapshot;

import static io.ovsanp.controller.snapshot.TestInputs.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.diag.SourceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The input rules: one well-defined set of objects, or errors naming every problem (capped). */
class ManifestReaderTest {
    @TempDir
    Path dir;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: shop}
            status: {podIP: 10.244.1.10}
            """;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, text);
    }

    /** The objects handed to the consumer, as {@code source Kind/ns/name}. */
    private static List<String> read(boolean allowEmpty, Path... paths) throws SnapshotLoadException {
        List<String> seen = new ArrayList<>();
        ManifestReader.read(List.of(paths), allowEmpty, o -> seen.add(o.source() + " " + o.display()));
        return seen;
    }

    private static List<String> errors(Path... paths) {
        try {
            read(false, paths);
        } catch (SnapshotLoadException e) {
            return e.lines();
        }
        throw new AssertionError("no load error");
    }

    private static List<Path> files(Path... paths) {
        InputErrors errors = new InputErrors();
        List<Path> files = ManifestReader.files(List.of(paths), false, errors);
        assertThat(errors.inCurrentInput()).isZero();
        return files;
    }

    @Test
    void directoriesAreSearchedRecursivelyInPathOrderForManifestFilesOnlyAndEachFileIsReadOnce() {
        Path cluster = path("cluster");

        assertThat(files(cluster, path("cluster/10-workloads.yaml")))
                .containsExactly(
                        cluster.resolve("00-namespaces.yaml"),
                        cluster.resolve("10-workloads.yaml"),
                        cluster.resolve("20-nodes.json"),
                        cluster.resolve("policies/admin.yaml"),
                        cluster.resolve("policies/netpol.yaml"));
    }

    @Test
    void aNamedFileIsReadWhateverItsExtension() {
        assertThat(files(path("cluster/README.md"))).hasSize(1);
    }

    @Test
    void duplicatesAreErrorsNamingBothPlacesAndNeitherCopyIsUsed() {
        String a = path("dup/a.yaml").toString();
        String b = path("dup/b.yaml").toString();

        assertThat(errors(path("dup")))
                .containsExactly(
                        b + " (document 0): Namespace/prod: duplicate object, also defined in " + a
                                + " (document 0); remove one of them",
                        b + " (document 2): Pod/default/web: duplicate object, also defined in " + a
                                + " (document 1); remove one of them");
    }

    @Test
    void aLaterAllowCannotReplaceAnEarlierDenyOfTheSameName() throws Exception {
        String anp = """
                apiVersion: policy.networking.k8s.io/v1alpha1
                kind: AdminNetworkPolicy
                metadata: {name: guard}
                spec:
                  priority: 1
                  subject: {namespaces: {}}
                  egress: [{name: r, action: %s, to: [{networks: ["0.0.0.0/0"]}]}]
                """;
        Path deny = write("a-deny.yaml", anp.formatted("Deny"));
        Path allow = write("z-allow.yaml", anp.formatted("Allow"));

        assertThatThrownBy(() -> SnapshotLoader.load(List.of(deny, allow)))
                .isInstanceOf(SnapshotLoadException.class)
                .hasMessage(allow + " (document 0): AdminNetworkPolicy/guard: duplicate object, also defined in " + deny
                        + " (document 0); remove one of them");
    }

    @Test
    void duplicateItemsOfAListAreNamedByItem() throws Exception {
        Path f = write(
                "list.yaml",
                "apiVersion: v1\nkind: List\nitems:\n" + POD.indent(2).replaceFirst("^  ", "- ")
                        + POD.indent(2).replaceFirst("^  ", "- "));

        assertThat(errors(f))
                .containsExactly(f + " (document 0/items[1]): Pod/shop/web: duplicate object, also defined in " + f
                        + " (document 0/items[0]); remove one of them");
    }

    @Test
    void otherNamespacesKindsAndApiGroupsAreOtherObjectsButOtherVersionsAreNot() throws Exception {
        String np = "apiVersion: %s\nkind: NetworkPolicy\nmetadata: {name: np, namespace: %s}\n";
        Path ok = write(
                "ok.yaml",
                String.join(
                        "---\n",
                        np.formatted("networking.k8s.io/v1", "shop"),
                        np.formatted("networking.k8s.io/v1", "other"),
                        np.formatted("crd.projectcalico.org/v1", "shop"),
                        "apiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: shop}\n"));
        assertThat(read(false, ok)).hasSize(4);

        Path versions = write(
                "versions.yaml",
                np.formatted("networking.k8s.io/v1", "shop") + "---\n"
                        + np.formatted("networking.k8s.io/v1beta1", "shop"));
        assertThat(errors(versions)).singleElement().asString().contains("duplicate object");
    }

    @Test
    void manyDuplicatesAreCappedPerFileShowingTheFirstOfEachKindAndNoneReachesTheConsumer() throws Exception {
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            y.append(POD).append("---\n");
        }
        y.append("apiVersion: v1\nkind: Pod\nmetadata: {namespace: shop}\n");
        Path f = write("many.yaml", y.toString());
        List<String> consumed = new ArrayList<>();

        assertThatThrownBy(() -> ManifestReader.read(List.of(f), false, o -> consumed.add(o.display())))
                .isInstanceOfSatisfying(SnapshotLoadException.class, e -> {
                    assertThat(e.lines()).hasSize(InputErrors.PER_FILE + 2);
                    assertThat(e.lines().subList(0, InputErrors.PER_FILE))
                            .allSatisfy(l -> assertThat(l).contains("duplicate object"));
                    assertThat(e.lines().get(InputErrors.PER_FILE))
                            .isEqualTo(f + " (document 1000): Pod: metadata.name: missing required field");
                    assertThat(e.lines().get(InputErrors.PER_FILE + 1))
                            .isEqualTo(f + ": 979 more errors not shown (first of each kind above)");
                });
        assertThat(consumed).containsExactly("Pod/shop/web");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "# only a comment\n",
                "---\n---\n# nothing\n",
                "apiVersion: v1\nitems: []\nkind: List\nmetadata: {resourceVersion: \"\"}\n"
            })
    void aFileWithoutObjectsIsAnErrorUnlessEmptyInputIsAllowed(String text) throws Exception {
        Path f = write("empty.yaml", text);

        assertThat(errors(f))
                .containsExactly(f + ": no Kubernetes object in this file (it is empty, or holds only comments,"
                        + " empty documents or empty lists); --allow-empty accepts it");
        assertThat(read(true, f)).isEmpty();
    }

    @Test
    void aDirectoryWithoutManifestFilesIsAnErrorUnlessEmptyInputIsAllowed() throws Exception {
        write("notes/README.md", "# not a manifest\n");
        Path notes = dir.resolve("notes");

        assertThat(errors(notes))
                .containsExactly(
                        notes + ": no *.yaml, *.yml or *.json file in this directory; --allow-empty accepts it");
        assertThat(read(true, notes)).isEmpty();
    }

    @Test
    void anEmptiedFileInsideADirectoryIsAnErrorToo() throws Exception {
        write("cluster/pods.yaml", POD);
        Path policies = write("cluster/policies.yaml", "");

        assertThat(errors(dir.resolve("cluster")))
                .singleElement()
                .asString()
                .startsWith(policies + ": no Kubernetes object in this file");
    }

    @Test
    void everyPathProblemIsReportedAndTheOtherInputsAreStillRead() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        Path device = Path.of("/dev/null");
        Path bad = write("bad.yaml", "apiVersion: v1\nmetadata: {name: x}\n---\n" + POD + "---\n- a list\n");

        assertThat(errors(missing, device, bad))
                .containsExactly(
                        missing + ": no such file or directory",
                        device + ": not a regular file or directory",
                        bad + " (document 0): kind: missing required field",
                        bad + " (document 2): expected a mapping (a Kubernetes object), got a list");
    }

    @Test
    void aKubectlListIsStreamedItemByItemAlthoughItsItemsComeBeforeItsKind() throws Exception {
        Path f = write("sorted.yaml", """
                apiVersion: v1
                items:
                - {apiVersion: v1, kind: Namespace, metadata: {name: a}}
                - {apiVersion: v1, kind: Namespace, metadata: {name: b}}
                kind: List
                metadata: {resourceVersion: ""}
                """);

        assertThat(read(false, f))
                .containsExactly(
                        SourceRef.of(f.toString(), 0).item(0) + " Namespace/a",
                        SourceRef.of(f.toString(), 0).item(1) + " Namespace/b");
    }

    @Test
    void itemsBeforeAKindThatIsNoListAreAnError() throws Exception {
        Path f = write("odd.yaml", """
                apiVersion: v1
                items:
                - {apiVersion: v1, kind: Namespace, metadata: {name: a}}
                kind: ConfigMap
                metadata: {name: odd}
                """);

        assertThat(errors(f))
                .containsExactly(f + " (document 0): ConfigMap: items: only a List kind has items (they were read"
                        + " as list items, before the kind)");
    }

    @Test
    void typedListItemsInheritKindAndApiVersion() throws Exception {
        Path f = write("pods.json", """
                {"kind": "NamespaceList", "apiVersion": "v1", "metadata": {},
                 "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}
                """);

        assertThat(read(false, f))
                .extracting(s -> s.substring(s.lastIndexOf(' ') + 1))
                .containsExactly("Namespace/a", "Namespace/b");
    }

    @Test
    void aListLargerThanSnakeyamlsDocumentLimitIsRead() throws Exception {
        // snakeyaml refuses a document over 3 MiB by default; kubectl's List of a big cluster is one.
        StringBuilder y = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        String note = "x".repeat(4000);
        int n = 0;
        while (y.length() < 3 * 1024 * 1024 + 4096) {
            y.append("- {apiVersion: v1, kind: Namespace, metadata: {name: ns-")
                    .append(n++)
                    .append(", annotations: {note: ")
                    .append(note)
                    .append("}}}\n");
        }
        Path f = write("big.yaml", y.toString());

        assertThat(read(false, f)).hasSize(n);
    }

    @Test
    void aFileThatIsNotUtf8NamesTheFirstInvalidByte() throws Exception {
        Path f = dir.resolve("binary.yaml");
        Files.write(f, new byte[] {'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xc3, (byte) 0x28, '\n'});

        assertThat(errors(f)).containsExactly(f + ": not a UTF-8 text file (invalid byte 0xC3 at offset 8)");
    }
}
