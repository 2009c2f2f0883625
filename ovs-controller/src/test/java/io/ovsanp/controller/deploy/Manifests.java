package io.ovsanp.controller.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reading {@code deploy/*.yaml} into fabric8's typed models, refusing unknown fields. */
final class Manifests {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {}

    /** {@code deploy/} of the checkout (tests run in the module directory). */
    static Path directory() {
        for (Path p : List.of(Path.of("..", "deploy"), Path.of("deploy"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("deploy/ not found from " + Path.of("").toAbsolutePath());
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(directory())) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** Every document of every file, each as its typed model class. */
    static List<HasMetadata> load() throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        for (Path f : files()) {
            out.addAll(load(f));
        }
        return out;
    }

    static List<HasMetadata> load(Path file) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int i = 0;
            for (JsonNode doc : docs.readAll()) {
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                out.add(typed(file.getFileName() + " document " + i++, doc.toString()));
            }
        }
        return out;
    }

    /** {@code json} as its registered model class; throws naming {@code where} and every unknown field. */
    static HasMetadata typed(String where, String json) {
        Object o = SERIALIZATION.unmarshal(json);
        if (!(o instanceof HasMetadata h) || o instanceof GenericKubernetesResource) {
            throw new IllegalArgumentException(
                    where + ": no model class for " + json.substring(0, Math.min(80, json.length())));
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(o, h.getKind(), unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown fields " + unknown);
        }
        return h;
    }

    /** fabric8 models keep fields they do not know in {@code additionalProperties}; any there is a typo. */
    private static void unknownFields(Object o, String path, List<String> out) {
        if (o == null) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object v : c) {
                unknownFields(v, path + "[" + i++ + "]", out);
            }
            return;
        }
        Class<?> c = o.getClass();
        if (!c.getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method g : c.getMethods()) {
            if (g.getParameterCount() != 0
                    || Modifier.isStatic(g.getModifiers())
                    || !g.getName().startsWith("get")
                    || g.getName().equals("getClass")) {
                continue;
            }
            Object v;
            try {
                v = g.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> out.add(path + "." + k));
                }
            } else {
                String field = Character.toLowerCase(g.getName().charAt(3))
                        + g.getName().substring(4);
                unknownFields(v, path + "." + field, out);
            }
        }
    }
}
