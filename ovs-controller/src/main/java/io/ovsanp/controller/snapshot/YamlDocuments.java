package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.controller.errors.UserMessages;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Streams the Kubernetes objects of a YAML (or JSON) file to a {@link Sink}, each as soon as it is
 * parsed: only one object is held at a time, however large the file, so a {@code kind: List} of
 * 100,000 items costs what one item costs. Empty documents are skipped but still counted, so
 * document numbers match the file; {@code kind: List} and typed lists ({@code PodList}, whose items
 * may omit kind and apiVersion) are expanded into their items, also when {@code items} comes before
 * {@code kind}, as in kubectl's output (its keys are sorted). Duplicate keys and YAML aliases are
 * rejected: Kubernetes rejects the former, and Jackson would read an alias as its anchor name
 * instead of the anchored value. A problem with one document or item is reported and reading goes
 * on with the next; a syntax error, invalid UTF-8 or an I/O error ends the file.
 */
final class YamlDocuments {
    /**
     * snakeyaml's default refuses documents over 3 MiB, and kubectl's {@code kind: List} of a large
     * cluster is one document; the limit guards against building a huge document in memory, which
     * streaming it item by item does not do (and aliases, the other amplifier, are rejected).
     */
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .loadSettings(LoadSettings.builder()
                            .setCodePointLimit(Integer.MAX_VALUE)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Reads one value inside the stream: what follows it is the rest of the stream, not an error. */
    private static final ObjectReader TREE =
            YAML.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Receives a file's objects and problems in file order. */
    interface Sink {
        void object(ManifestObject o);

        /** A problem of the {@link InputErrors} kind {@code kind}, as one line naming where it is. */
        void problem(String kind, String line);
    }

    private YamlDocuments() {}

    static void read(Path file, Sink sink) {
        String name = file.toString();
        int doc = 0;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonParser parser = rejectingAliases(YAML.createParser(in))) {
            JsonToken t;
            while ((t = parser.nextToken()) != null) {
                SourceRef source = SourceRef.of(name, doc);
                if (t == JsonToken.START_OBJECT) {
                    document(parser, source, sink);
                } else if (t != JsonToken.VALUE_NULL) {
                    sink.problem(InputErrors.SHAPE, notAMapping(parser, source));
                }
                doc++;
            }
        } catch (JacksonException e) {
            Optional<CharacterCodingException> notUtf8 = cause(e, CharacterCodingException.class);
            sink.problem(
                    InputErrors.UNREADABLE,
                    notUtf8.isPresent() ? notUtf8(file) : SourceRef.of(name, doc) + ": " + syntaxError(e));
        } catch (IOException e) {
            sink.problem(
                    InputErrors.UNREADABLE,
                    e instanceof CharacterCodingException
                            ? notUtf8(file)
                            : name + ": cannot read: " + UserMessages.ioReason(e));
        }
    }

    /**
     * One top-level mapping, the parser at its START_OBJECT. Its fields are read one by one; a list's
     * {@code items} are handed on one by one as they are parsed, never kept.
     */
    private static void document(JsonParser parser, SourceRef source, Sink sink) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        boolean streamed = false;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("items") && value == JsonToken.START_ARRAY && mayBeList(fields)) {
                items(parser, source, fields, sink);
                streamed = true;
            } else {
                fields.set(field, tree(parser));
            }
        }
        if (!streamed) {
            objects(fields, source, null, null, sink);
            return;
        }
        // The items went out as a list's: the document must be one.
        String apiVersion = header(fields, "apiVersion", source, null, sink);
        String kind = header(fields, "kind", source, null, sink);
        if (apiVersion != null && kind != null && !isListKind(kind)) {
            sink.problem(
                    InputErrors.SHAPE,
                    source + ": " + kind + ": items: only a List kind has items (they were read as list items,"
                            + " before the kind)");
        }
    }

    /** The list's items, the parser at the array's START_ARRAY; kind and apiVersion as far as read. */
    private static void items(JsonParser parser, SourceRef source, ObjectNode list, Sink sink) {
        String kind = list.path("kind").isString() ? list.get("kind").stringValue() : null;
        boolean typed = kind != null && !kind.equals("List");
        String itemApi = typed && list.path("apiVersion").isString()
                ? list.get("apiVersion").stringValue()
                : null;
        String itemKind = typed ? kind.substring(0, kind.length() - "List".length()) : null;
        int i = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            SourceRef at = source.item(i++);
            if (parser.currentToken() == JsonToken.START_OBJECT) {
                objects(tree(parser), at, itemApi, itemKind, sink);
            } else {
                sink.problem(InputErrors.SHAPE, notAMapping(parser, at));
            }
        }
    }

    /** Whether {@code items} may be a list's: the kind is not known yet, or it is a list kind. */
    private static boolean mayBeList(ObjectNode fields) {
        JsonNode kind = fields.get("kind");
        return kind == null || (kind.isString() && isListKind(kind.stringValue()));
    }

    private static boolean isListKind(String kind) {
        return kind.endsWith("List");
    }

    /** An object read whole: a top-level document without streamed items, or a list item. */
    private static void objects(JsonNode node, SourceRef source, String inheritedApi, String inheritedKind, Sink sink) {
        if (!node.isObject()) {
            sink.problem(
                    InputErrors.SHAPE,
                    source + ": expected a mapping (a Kubernetes object), got " + FieldPath.describe(node));
            return;
        }
        String apiVersion = header(node, "apiVersion", source, inheritedApi, sink);
        String kind = header(node, "kind", source, inheritedKind, sink);
        if (apiVersion == null || kind == null) {
            return;
        }
        JsonNode items = FieldReader.get(node, "items");
        if (kind.equals("List") || (isListKind(kind) && items != null && items.isArray())) {
            if (items == null || !items.isArray()) {
                sink.problem(
                        InputErrors.SHAPE,
                        source + ": " + kind + ": items: expected a list, got " + FieldPath.describe(items));
                return;
            }
            boolean typed = !kind.equals("List");
            for (int i = 0; i < items.size(); i++) {
                objects(
                        items.get(i),
                        source.item(i),
                        typed ? apiVersion : null,
                        typed ? kind.substring(0, kind.length() - "List".length()) : null,
                        sink);
            }
            return;
        }
        String problem = metadataProblem(node);
        if (problem != null) {
            sink.problem(InputErrors.HEADER, source + ": " + kind + problem);
            return;
        }
        JsonNode meta = node.get("metadata");
        JsonNode ns = FieldReader.get(meta, "namespace");
        sink.object(new ManifestObject(
                source,
                apiVersion,
                kind,
                ns == null ? "" : ns.stringValue(),
                meta.get("name").stringValue(),
                node));
    }

    /** What is wrong with metadata's name and namespace ({@code ": metadata.name: ..."}), or null. */
    private static String metadataProblem(JsonNode node) {
        JsonNode meta = FieldReader.get(node, "metadata");
        if (meta == null || !meta.isObject()) {
            return ": metadata: expected an object, got " + FieldPath.describe(meta);
        }
        JsonNode name = FieldReader.get(meta, "name");
        if (name == null || !name.isString() || name.stringValue().isEmpty()) {
            return ": metadata.name: "
                    + (name == null
                            ? "missing required field"
                            : "expected a non-empty string, got " + FieldPath.describe(name));
        }
        JsonNode ns = FieldReader.get(meta, "namespace");
        if (ns != null && !ns.isString()) {
            return "/" + name.stringValue() + ": metadata.namespace: expected a string, got " + FieldPath.describe(ns);
        }
        return null;
    }

    /** The header field's text, else the inherited one; null (reported) when neither is usable. */
    private static String header(JsonNode node, String field, SourceRef source, String inherited, Sink sink) {
        JsonNode v = FieldReader.get(node, field);
        if (v == null && inherited != null) {
            return inherited;
        }
        if (v == null) {
            sink.problem(InputErrors.HEADER, source + ": " + field + ": missing required field");
            return null;
        }
        if (!v.isString() || v.stringValue().isEmpty()) {
            sink.problem(
                    InputErrors.HEADER,
                    source + ": " + field + ": expected a non-empty string, got " + FieldPath.describe(v));
            return null;
        }
        return v.stringValue();
    }

    /** The value at the parser's current token, read whole ({@code null} read as a NullNode). */
    private static JsonNode tree(JsonParser parser) {
        JsonNode node = TREE.readValue(parser);
        return node == null ? NullNode.getInstance() : node;
    }

    /** The problem line for a document or item that is not a mapping; skips over it. */
    private static String notAMapping(JsonParser parser, SourceRef source) {
        String got;
        if (parser.currentToken() == JsonToken.START_ARRAY) {
            parser.skipChildren();
            got = "a list";
        } else {
            got = FieldPath.describe(tree(parser));
        }
        return source + ": expected a mapping (a Kubernetes object), got " + got;
    }

    /** {@code FILE: not a UTF-8 text file (invalid byte 0xFF at offset N)}. */
    private static String notUtf8(Path file) {
        String where;
        try {
            where = Utf8Scan.firstInvalid(file).map(Utf8Scan.Invalid::describe).orElse("");
        } catch (IOException e) {
            where = "";
        }
        return file + ": not a UTF-8 text file" + (where.isEmpty() ? "" : " (" + where + ")");
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** {@code line 3, column 11: YAML syntax error: <problem>}, from snakeyaml's marks when present. */
    private static String syntaxError(JacksonException e) {
        Optional<MarkedYamlEngineException> marked = cause(e, MarkedYamlEngineException.class);
        if (marked.isPresent()) {
            MarkedYamlEngineException y = marked.get();
            Optional<Mark> mark = y.getProblemMark().or(y::getContextMark);
            String context = y.getContext() == null ? "" : y.getContext() + ": ";
            return mark.map(m -> "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ")
                            .orElse("") + "YAML syntax error: " + context + y.getProblem();
        }
        TokenStreamLocation loc = e.getLocation();
        String at = loc == null || loc.getLineNr() < 1
                ? ""
                : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
        String msg = e.getOriginalMessage() == null ? "" : UserMessages.withoutJavaNames(e.getOriginalMessage());
        msg = msg.lines().findFirst().orElse(msg);
        return at + (msg.isEmpty() || UserMessages.namesJava(msg) ? "cannot be read as YAML" : msg);
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
