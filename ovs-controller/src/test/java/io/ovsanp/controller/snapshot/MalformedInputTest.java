package io.ovsanp.controller.snapshot;

import static io.ovsanp.controller.snapshot.TestInputs.path;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Input that is not Kubernetes objects at all: one exception with a one-line, precise message. */
class MalformedInputTest {

    private static AbstractThrowableAssert<?, ? extends Throwable> loading(String name) {
        return assertThatThrownBy(() -> TestInputs.load(name)).isInstanceOf(SnapshotLoadException.class);
    }

    @Test
    void yamlSyntaxErrorNamesFileDocumentAndLine() {
        loading("malformed/syntax-error.yaml")
                .hasMessage(path("malformed/syntax-error.yaml")
                        + " (document 1): line 10, column 27: YAML syntax error: while parsing a flow sequence:"
                        + " expected ',' or ']', but got }");
    }

    @Test
    void documentThatIsNotAMappingIsALoadError() {
        loading("malformed/not-a-mapping.yaml")
                .hasMessage(path("malformed/not-a-mapping.yaml")
                        + " (document 1): expected a mapping (a Kubernetes object), got a list");
    }

    @Test
    void objectWithoutKindIsALoadError() {
        loading("malformed/missing-kind.yaml")
                .hasMessage(path("malformed/missing-kind.yaml") + " (document 0): kind: missing required field");
    }

    @Test
    void listItemWithoutNameNamesTheItem() {
        loading("malformed/list-item-without-name.yaml")
                .hasMessage(path("malformed/list-item-without-name.yaml")
                        + " (document 0/items[1]): Namespace: metadata.name: missing required field");
    }

    @Test
    void builtInFieldOfTheWrongTypeNamesObjectAndField() {
        loading("malformed/pod-named-container-port.yaml")
                .hasMessage(path("malformed/pod-named-container-port.yaml")
                        + " (document 3): Pod/default/web: spec.containers[0].ports[0].containerPort:"
                        + " expected an integer, got \"http\"");
    }

    @Test
    void builtInSpecThatIsANumberIsALoadError() {
        loading("malformed/spec-is-a-number.yaml")
                .hasMessage(path("malformed/spec-is-a-number.yaml")
                        + " (document 0): NetworkPolicy/prod/np: spec: expected an object, got 5");
    }

    @Test
    void duplicateKeyIsALoadError() {
        loading("malformed/duplicate-key.yaml")
                .hasMessageStartingWith(path("malformed/duplicate-key.yaml") + " (document 0): line 5, column ")
                .hasMessageEndingWith("Duplicate Object property \"name\"");
    }

    @Test
    void yamlAliasIsALoadErrorRatherThanReadAsItsAnchorName() {
        loading("malformed/alias.yaml")
                .hasMessageStartingWith(path("malformed/alias.yaml") + " (document 0): line 6, column ")
                .hasMessageEndingWith("YAML aliases (*n) are not supported");
    }
}
