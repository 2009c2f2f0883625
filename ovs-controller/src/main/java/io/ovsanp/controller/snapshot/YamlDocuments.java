package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.diag.SourceRef;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Splits a YAML (or JSON) file into Kubernetes objects. Empty documents are skipped but still
 * counted, so document numbers match the file; {@code kind: List} and typed lists ({@code PodList},
 * whose items may omit kind and apiVersion) are expanded into their items. Duplicate keys and YAML
 * aliases are rejected: Kubernetes rejects the former, and Jackson would read an alias as its anchor
 * name instead of the anchored value.
 */
final class YamlDocuments {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private YamlDocuments() {}

    static List<ManifestObject> read(Path file) throws SnapshotLoadException {
        String name = file.toString();
        List<ManifestObject> out = new ArrayList<>();
        int doc = 0;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonParser parser = rejectingAliases(YAML.createParser(in));
                MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(parser)) {
            while (docs.hasNextValue()) {
                JsonNode node = docs.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    objects(node, SourceRef.of(name, doc), name + " document " + doc, null, null, out);
                }
                doc++;
            }
        } catch (JacksonException e) {
            throw new SnapshotLoadException(name + " document " + doc + ": " + syntaxError(e), e);
        } catch (IOException e) {
            throw new SnapshotLoadException(name + ": cannot read: " + e.getMessage(), e);
        }
        return out;
    }

    private static void objects(
            JsonNode node,
            SourceRef source,
            String where,
            String inheritedApi,
            String inheritedKind,
            List<ManifestObject> out)
            throws SnapshotLoadException {
        if (!node.isObject()) {
            throw new SnapshotLoadException(
                    where + ": expected a mapping (a Kubernetes object), got " + FieldPath.describe(node));
        }
        String apiVersion = header(node, "apiVersion", where, inheritedApi);
        String kind = header(node, "kind", where, inheritedKind);
        JsonNode items = FieldReader.get(node, "items");
        if (kind.equals("List") || (kind.endsWith("List") && items != null && items.isArray())) {
            if (items == null || !items.isArray()) {
                throw new SnapshotLoadException(
                        where + ": " + kind + ": items: expected a list, got " + FieldPath.describe(items));
            }
            boolean typed = !kind.equals("List");
            for (int i = 0; i < items.size(); i++) {
                objects(
                        items.get(i),
                        source.item(i),
                        where + " item " + i,
                        typed ? apiVersion : null,
                        typed ? kind.substring(0, kind.length() - "List".length()) : null,
                        out);
            }
            return;
        }
        JsonNode meta = FieldReader.get(node, "metadata");
        if (meta == null || !meta.isObject()) {
            throw new SnapshotLoadException(
                    where + ": " + kind + ": metadata: expected an object, got " + FieldPath.describe(meta));
        }
        JsonNode name = FieldReader.get(meta, "name");
        if (name == null || !name.isString() || name.stringValue().isEmpty()) {
            throw new SnapshotLoadException(where + ": " + kind + ": metadata.name: "
                    + (name == null
                            ? "missing required field"
                            : "expected a non-empty string, got " + FieldPath.describe(name)));
        }
        JsonNode ns = FieldReader.get(meta, "namespace");
        if (ns != null && !ns.isString()) {
            throw new SnapshotLoadException(where + ": " + kind + "/" + name.stringValue()
                    + ": metadata.namespace: expected a string, got " + FieldPath.describe(ns));
        }
        out.add(new ManifestObject(
                source, where, apiVersion, kind, ns == null ? "" : ns.stringValue(), name.stringValue(), node));
    }

    private static String header(JsonNode node, String field, String where, String inherited)
            throws SnapshotLoadException {
        JsonNode v = FieldReader.get(node, field);
        if (v == null && inherited != null) {
            return inherited;
        }
        if (v == null) {
            throw new SnapshotLoadException(where + ": " + field + ": missing required field");
        }
        if (!v.isString() || v.stringValue().isEmpty()) {
            throw new SnapshotLoadException(
                    where + ": " + field + ": expected a non-empty string, got " + FieldPath.describe(v));
        }
        return v.stringValue();
    }

    /** {@code line 3, column 11: YAML syntax error: <problem>}, from snakeyaml's marks when present. */
    private static String syntaxError(JacksonException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException) {
                MarkedYamlEngineException y = (MarkedYamlEngineException) t;
                Optional<Mark> mark = y.getProblemMark().or(y::getContextMark);
                String context = y.getContext() == null ? "" : y.getContext() + ": ";
                return mark.map(m -> "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ")
                                .orElse("") + "YAML syntax error: " + context + y.getProblem();
            }
        }
        TokenStreamLocation loc = e.getLocation();
        String at = loc == null || loc.getLineNr() < 1
                ? ""
                : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
        String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        return at + msg.lines().findFirst().orElse(msg);
    }

    private static JsonParser rejectingAliases(JsonParser yaml) {
        return new JsonParserDelegate(yaml) {
            @Override
            public JsonToken nextToken() {
                JsonToken t = super.nextToken();
                if (((YAMLParser) delegate).isCurrentAlias()) {
                    throw new StreamReadException(
                            this, "YAML aliases (*" + delegate.getString() + ") are not supported");
                }
                return t;
            }
        };
    }
}
