package io.ovsanp.controller.snapshot;

import io.ovsanp.compiler.diag.SourceRef;
import io.ovsanp.controller.errors.UserMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads the offline inputs ({@code --cluster PATH...}, {@code dev-apiserver --seed FILE...}) as one
 * set of Kubernetes objects, and refuses, rather than guesses, when the set is not well defined:
 *
 * <ul>
 *   <li>an object defined twice (same API group, kind, namespace and name, in one file or two) is an
 *       error naming both places; neither is used, because which one was meant is unknowable and
 *       choosing by file order would let a later file silently replace a Deny with an Allow;
 *   <li>an input without any object (an empty file, one of only comments or empty documents or
 *       empty lists, a directory without manifest files) is an error unless {@code allowEmpty}: a
 *       policy file emptied by a failed write must not read as "no policies";
 *   <li>unreadable paths and malformed documents are errors; the other documents are still read,
 *       so one run reports every problem, at most {@link InputErrors#PER_FILE} per file.
 * </ul>
 *
 * Any error makes {@link #read} throw after the whole input was read: a caller never acts on part
 * of the input. Objects are streamed: each is handed to the consumer as it is parsed, and a
 * duplicate is dropped unconverted, so memory grows with the distinct objects only.
 */
public final class ManifestReader {
    private static final Set<String> EXTENSIONS = Set.of(".yaml", ".yml", ".json");

    /** Handles one object; a problem with it is thrown and reported with the file's other errors. */
    @FunctionalInterface
    public interface Consumer {
        void accept(ManifestObject o) throws SnapshotLoadException;
    }

    private final Consumer consumer;
    private final InputErrors errors = new InputErrors();
    /** Where each object was first defined, by {@link ManifestObject#identity()}. */
    private final Map<String, SourceRef> seen = new HashMap<>();

    private ManifestReader(Consumer consumer) {
        this.consumer = consumer;
    }

    /**
     * Hands every object of {@code paths} to {@code consumer}, in file order. {@code paths} are files
     * (read whatever their name) or directories (searched recursively for {@code *.yaml}, {@code
     * *.yml}, {@code *.json}); all files are read in path order, each once.
     *
     * @throws SnapshotLoadException after reading everything, when anything was wrong (see above)
     */
    public static void read(List<Path> paths, boolean allowEmpty, Consumer consumer) throws SnapshotLoadException {
        ManifestReader r = new ManifestReader(consumer);
        for (Path file : files(paths, allowEmpty, r.errors)) {
            r.file(file, allowEmpty);
        }
        r.errors.throwIfAny();
    }

    /** The files to read, sorted by path, each once; path problems go to {@code errors}. */
    static List<Path> files(List<Path> paths, boolean allowEmpty, InputErrors errors) {
        TreeSet<Path> files = new TreeSet<>();
        Set<Path> absolute = new HashSet<>();
        for (Path p : paths) {
            errors.startInput(p.toString());
            if (Files.isDirectory(p)) {
                List<Path> found = manifests(p, errors);
                if (found.isEmpty() && !allowEmpty && errors.inCurrentInput() == 0) {
                    errors.add(
                            InputErrors.EMPTY,
                            p + ": no *.yaml, *.yml or *.json file in this directory; --allow-empty accepts it");
                }
                found.stream()
                        .filter(f -> absolute.add(f.toAbsolutePath().normalize()))
                        .forEach(files::add);
            } else if (Files.isRegularFile(p)) {
                if (absolute.add(p.toAbsolutePath().normalize())) {
                    files.add(p.normalize());
                }
            } else if (Files.exists(p)) {
                // A FIFO or device would block or never end; nothing a snapshot is written to.
                errors.add(InputErrors.UNREADABLE, p + ": not a regular file or directory");
            } else {
                errors.add(InputErrors.UNREADABLE, p + ": no such file or directory");
            }
        }
        return List.copyOf(files);
    }

    private static List<Path> manifests(Path dir, InputErrors errors) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(ManifestReader::isManifest)
                    .map(Path::normalize)
                    .toList();
        } catch (IOException e) {
            errors.add(InputErrors.UNREADABLE, dir + ": cannot list directory: " + UserMessages.ioReason(e));
        } catch (UncheckedIOException e) {
            errors.add(InputErrors.UNREADABLE, dir + ": cannot list directory: " + UserMessages.ioReason(e.getCause()));
        }
        return List.of();
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private void file(Path file, boolean allowEmpty) {
        errors.startInput(file.toString());
        int[] objects = {0};
        YamlDocuments.read(file, new YamlDocuments.Sink() {
            @Override
            public void object(ManifestObject o) {
                objects[0]++;
                accept(o);
            }

            @Override
            public void problem(String kind, String line) {
                errors.add(kind, line);
            }
        });
        if (objects[0] == 0 && !allowEmpty && errors.inCurrentInput() == 0) {
            errors.add(
                    InputErrors.EMPTY,
                    file + ": no Kubernetes object in this file (it is empty, or holds only comments, empty"
                            + " documents or empty lists); --allow-empty accepts it");
        }
    }

    private void accept(ManifestObject o) {
        SourceRef first = seen.putIfAbsent(o.identity(), o.source());
        if (first != null) {
            errors.add(
                    InputErrors.DUPLICATE,
                    o.source() + ": " + o.display() + ": duplicate object, also defined in " + first
                            + "; remove one of them");
            return;
        }
        try {
            consumer.accept(o);
        } catch (SnapshotLoadException e) {
            e.lines().forEach(line -> errors.add(InputErrors.OBJECT, line));
        }
    }
}
