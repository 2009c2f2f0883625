package io.ovsanp.it.release;

import java.nio.file.Path;

/** Where the release build puts its artifacts (distribution/pom.xml, ovs-controller/pom.xml). */
final class Release {
    static final Path REPO =
            Path.of(System.getProperty("ovsanp.repo", "..")).toAbsolutePath().normalize();
    /** The POM version (integration-tests/pom.xml passes it to surefire and failsafe). */
    static final String VERSION = System.getProperty("ovsanp.version", "(ovsanp.version not set)");

    private Release() {}

    /** The agent's runnable (shaded) jar. */
    static Path agentJar() {
        return REPO.resolve("ovs-controller/target/ovs-anp.jar");
    }

    /** {@code ovs-anp-VERSION}: the top directory of the tarball, and its unpacked copy in distribution/target. */
    static String distName() {
        return "ovs-anp-" + VERSION;
    }

    static Path tarball() {
        return REPO.resolve("distribution/target/" + distName() + "-linux-x64.tar.gz");
    }
}
