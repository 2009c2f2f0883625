package io.ovsanp.devapiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.controller.cli.Main;
import io.ovsanp.controller.errors.UserMessages;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ovs-anp-dev-apiserver}: a CRUD mock Kubernetes API server seeded from manifests, with the exit
 * codes and one-line errors of {@code ovs-anp} ({@link Main#configured}).
 */
@Command(
        name = "ovs-anp-dev-apiserver",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Serve a development Kubernetes API (in-memory, CRUD) on 127.0.0.1, seeded from manifests.")
public final class DevApiServerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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

    public static void main(String[] args) {
        System.exit(Main.configured(new CommandLine(new DevApiServerCommand())).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        KubernetesMockServer server;
        try {
            server = DevApiServer.start(port, seed, allowEmpty);
        } catch (SnapshotLoadException e) {
            e.lines().forEach(line -> err.println("error: " + UserMessages.withoutJavaNames(line)));
            err.flush();
            return Main.EXIT_BAD_INPUT;
        } catch (IOException | RuntimeException e) {
            err.println("error: dev-apiserver: cannot serve on 127.0.0.1:" + port + ": "
                    + UserMessages.withoutJavaNames(UserMessages.userText(e).orElse("the server did not start")));
            err.flush();
            return Main.EXIT_BAD_INPUT;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("dev-apiserver listening on " + DevApiServer.url(server));
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.EXIT_OK;
    }
}
