package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --cluster PATH... [--allow-empty]}: YAML files or directories forming one cluster snapshot;
 * an object defined twice, or an input without objects, is bad input ({@link
 * io.ovsanp.controller.snapshot.ManifestReader}).
 */
final class ClusterOptions {
    @Option(
            names = "--cluster",
            required = true,
            arity = "1..*",
            paramLabel = "PATH",
            description = "YAML files or directories (kubectl get -o yaml output, manifests, kind: List).")
    List<Path> paths;

    @Option(
            names = "--allow-empty",
            description = "Accept a file, or a directory, without any Kubernetes object (by default an error:"
                    + " an emptied policy file must not read as \"no policies\").")
    boolean allowEmpty;

    ClusterSnapshot load() throws SnapshotLoadException {
        return SnapshotLoader.load(paths, allowEmpty);
    }
}
