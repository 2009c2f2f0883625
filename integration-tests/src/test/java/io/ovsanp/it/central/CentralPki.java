package io.ovsanp.it.central;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Command;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates for central-mode tests, made by the operators' own deploy/pki/ovs-anp-pki.sh: a CA,
 * the controller's pair and one pair per node; and the {@code run} arguments that listen on them.
 */
final class CentralPki {
    private CentralPki() {}

    /** Makes the CA, the controller's files and each node's {@code node-NODE.{key,pem}} in {@code dir}. */
    static void make(Path repo, Path dir, String... nodes) {
        String script = repo.resolve("deploy/pki/ovs-anp-pki.sh").toString();
        sh(script, "--dir", dir.toString(), "ca");
        sh(script, "--dir", dir.toString(), "controller");
        List<String> node = new ArrayList<>(List.of(script, "--dir", dir.toString(), "node"));
        node.addAll(List.of(nodes));
        sh(node.toArray(String[]::new));
    }

    /** {@code --listen pssl:0} with the controller's files of {@code dir}. */
    static List<String> listenArgs(Path dir) {
        return List.of(
                "--listen",
                "pssl:0",
                "--tls-key",
                dir.resolve("controller.key").toString(),
                "--tls-cert",
                dir.resolve("controller.pem").toString(),
                "--tls-ca",
                dir.resolve("ca.pem").toString());
    }

    private static void sh(String... command) {
        Command.Result r = Command.of(command).mergeStderr().run();
        assertThat(r.exit()).as("%s%n%s", String.join(" ", command), r.output()).isZero();
    }
}
