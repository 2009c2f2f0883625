package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** {@code --version} names the POM's version and the commit the build read, not a placeholder. */
class VersionTest {
    /** The version the root pom.xml declares (project/version), read from the file itself. */
    private static String pomVersion() throws Exception {
        Path pom = CliRun.repo().resolve("pom.xml");
        assertThat(pom).exists();
        Element project = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(pom.toFile())
                .getDocumentElement();
        for (var n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("version"))
                return e.getTextContent().trim();
        }
        throw new AssertionError("no <version> in " + pom);
    }

    @Test
    void theBuildPropertiesCarryThePomVersionAndACommit() throws Exception {
        Properties p = Main.Version.buildProperties();

        assertThat(p.getProperty("version")).isEqualTo(pomVersion());
        // The surefire run follows the antrun step, so the commit is filled in: a short hash in a
        // git checkout, "unknown" outside one.
        assertThat(p.getProperty("commit")).matches("[0-9a-f]{7,40}|unknown");
    }

    @Test
    void versionPrintsVersionAndCommit() throws Exception {
        CliRun r = CliRun.of("--version");

        assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
        assertThat(r.out().strip())
                .matches("ovs-anp \\S+ \\(commit ([0-9a-f]{7,40}|unknown)\\)")
                .startsWith("ovs-anp " + pomVersion() + " (commit ")
                .doesNotContain("dev")
                .doesNotContain("${");
    }

    @Test
    void aPlaceholderTheBuildDidNotFillInIsUnknown() {
        Properties p = new Properties();
        p.setProperty("commit", "${ovsanp.git.commit}");

        assertThat(Main.Version.value(p, "commit")).isEqualTo("unknown");
        assertThat(Main.Version.value(p, "version")).isEqualTo("unknown");
    }

    @Test
    void inAGitCheckoutTheCommitIsHead() throws Exception {
        Path repo = CliRun.repo();
        if (!Files.exists(repo.resolve(".git"))) return;
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD")
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .start();
        String head = new String(git.getInputStream().readAllBytes()).strip();
        if (git.waitFor() != 0) return;

        assertThat(head).startsWith(Main.Version.buildProperties().getProperty("commit"));
    }
}
