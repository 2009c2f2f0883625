package io.ovsanp.controller.cli;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.controller.errors.UserMessages;
import io.ovsanp.controller.kube.DevApiServer;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ovs-anp dev-apiserver}: a CRUD mock Kubernetes API server seeded from manifests. */
@Command(
        name = "dev-apiserver",
        mixinStandardHelpOptions = true,
        description = "Serve a development Kubernetes API (in-memory, CRUD) on 127.0.0.1, seeded from manifests.")
final class DevApiServerCommand extends CliCommand {
    @Option(
            names = "--seed",
            paramLabel = "FILE",
            description = "YAML/JSON manifests whose objects are created at start (repeatable).")
    List<Path> seed = List.of();

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default ${DEFAULT-VALUE}; 0: any).")
    int port = 6443;

    @Option(
            names = "--allow-empty",
            description = "Accept a seed file without any Kubernetes object (by default an error).")
    boolean allowEmpty;

    @Override
    int execute() throws BadInput, SnapshotLoadException {
        KubernetesMockServer server;
        try {
            server = DevApiServer.start(port, seed, allowEmpty);
        } catch (IOException | RuntimeException e) {
            throw new BadInput("dev-apiserver: cannot serve on 127.0.0.1:" + port + ": "
                    + UserMessages.userText(e).orElse("the server did not start"));
        }
        out().println("dev-apiserver listening on " + DevApiServer.url(server));
        out().flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.EXIT_OK;
    }
}
