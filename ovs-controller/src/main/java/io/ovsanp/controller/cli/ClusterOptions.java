package io.ovsanp.controller.cli;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import io.ovsanp.controller.snapshot.SnapshotLoader;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --cluster PATH...}: YAML files or directories forming one cluster snapshot. */
final class ClusterOptions {
    @Option(
            names = "--cluster",
            required = true,
            arity = "1..*",
            paramLabel = "PATH",
            description = "YAML files or directories (kubectl get -o yaml output, manifests, kind: List).")
    List<Path> paths;

    ClusterSnapshot load() throws SnapshotLoadException {
        return SnapshotLoader.load(paths);
    }
}
