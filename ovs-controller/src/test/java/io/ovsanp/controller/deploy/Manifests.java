package io.ovsanp.controller.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.ovsanp.testkit.Command;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The objects of one overlay of {@code deploy/} ({@code deploy/overlays/agent} or {@code .../central}),
 * in fabric8's typed models, refusing unknown fields: as {@code kubectl kustomize} renders them, or,
 * where kubectl is not installed, as the files the overlay's kustomization (and the components it
 * lists) name, unrendered: the RBAC and the workloads' arguments are the same either way; the image
 * tag and the copied ports are what only the rendered form has ({@link #rendered}).
 */
final class Manifests {
    static final String AGENT = "agent";
    static final String CENTRAL = "central";
    static final List<String> OVERLAYS = List.of(AGENT, CENTRAL);

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final AtomicBoolean REPORTED = new AtomicBoolean();
    /** Asked once per test JVM: null until then. */
    private static Optional<String> kubectlProblem;

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

    static Path overlay(String mode) {
        return directory().resolve("overlays").resolve(mode);
    }

    /** The overlay's objects: rendered when kubectl is installed, else from its files. */
    static List<HasMetadata> load(String mode) throws IOException {
        Optional<String> kubectl = kubectlProblem();
        if (kubectl.isEmpty()) {
            return parse("kubectl kustomize " + overlay(mode), render(mode));
        }
        List<HasMetadata> out = new ArrayList<>();
        for (Path f : files(overlay(mode))) {
            out.addAll(parse(f.toString(), Files.readString(f)));
        }
        return out;
    }

    /** The overlay as kubectl renders it; skips the test, naming what is missing, without kubectl. */
    static List<HasMetadata> rendered(String mode) {
        kubectlProblem().ifPresent(problem -> {
            String message = problem + ": deploy/overlays not rendered";
            if (REPORTED.compareAndSet(false, true)) {
                System.err.println("[ovs-anp] skipping: " + message); // the console shows only a count
            }
            Assumptions.abort(message);
        });
        return parse("kubectl kustomize " + overlay(mode), render(mode));
    }

    /** Why the overlays cannot be rendered here (no kubectl, or one without kustomize v5); empty if they can. */
    static synchronized Optional<String> kubectlProblem() {
        if (kubectlProblem == null) {
            kubectlProblem = findKubectlProblem();
        }
        return kubectlProblem;
    }

    private static Optional<String> findKubectlProblem() {
        String path = System.getenv().getOrDefault("PATH", "");
        boolean found = false;
        for (String dir : path.split(":")) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"));
        }
        if (!found) {
            return Optional.of("kubectl (with kustomize v5) is not on the PATH");
        }
        Command.Result v = Command.of("kubectl", "version", "--client", "-o", "json")
                .timeout(Duration.ofSeconds(30))
                .run();
        String kustomize =
                v.ok() ? YAML.readTree(v.stdout()).path("kustomizeVersion").asString("") : "";
        if (!kustomize.startsWith("v5.")) {
            return Optional.of("kubectl's kustomize is '" + kustomize + "', not v5 ("
                    + v.output().strip() + ")");
        }
        return Optional.empty();
    }

    private static String render(String mode) {
        return Command.of("kubectl", "kustomize", overlay(mode).toString())
                .timeout(Duration.ofSeconds(60))
                .runOrThrow()
                .stdout();
    }

    /**
     * The files of a kustomization directory: its {@code resources} (files, or directories of further
     * kustomizations) and those of its {@code components}, in order.
     */
    static List<Path> files(Path kustomization) throws IOException {
        JsonNode k = YAML.readTree(kustomization.resolve("kustomization.yaml").toFile());
        List<Path> out = new ArrayList<>();
        for (String field : List.of("resources", "components")) {
            for (JsonNode entry : k.path(field)) {
                Path p = kustomization.resolve(entry.asString()).normalize();
                if (Files.isDirectory(p)) {
                    out.addAll(files(p));
                } else {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Every document of {@code yaml}, each as its typed model class. */
    static List<HasMetadata> parse(String where, String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            int i = 0;
            for (JsonNode doc : docs.readAll()) {
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                out.add(typed(where + " document " + i++, doc.toString()));
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
