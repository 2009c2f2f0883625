package io.ovsanp.it.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * NOTICE lists exactly the third-party artifacts the agent's jar bundles: every {@code
 * META-INF/maven/GROUP/ARTIFACT/pom.properties} the shade plugin carried into it, by group, artifact and
 * version, and nothing the jar does not hold. A dependency added, removed or upgraded without its
 * NOTICE line fails here. Two artifacts carry no Maven metadata into the jar (picocli is built with
 * Gradle; Vert.x core's jar has none): one of their classes must be in the jar, and NOTICE must name
 * picocli's version of the build's property and Vert.x core's of its logging companion.
 */
class NoticeTest {
    private static final Pattern GAV = Pattern.compile("^  ([\\w.-]+):([\\w.-]+):([\\w.-]+)$", Pattern.MULTILINE);
    private static final String JAR_SECTION = "Third-party software bundled in the runtime jar";
    /** group:artifact of the bundled artifacts without pom.properties, and a class each ships. */
    private static final java.util.Map<String, String> WITHOUT_METADATA = java.util.Map.of(
            "info.picocli:picocli", "picocli/CommandLine.class",
            "io.vertx:vertx-core", "io/vertx/core/Vertx.class");

    @Test
    void noticeListsExactlyTheArtifactsInTheAgentsJar() throws IOException {
        Set<String> bundled = new TreeSet<>();
        try (JarFile jar = new JarFile(Release.agentJar().toFile())) {
            for (var e : jar.stream().toList()) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = jar.getInputStream(e)) {
                        p.load(in);
                    }
                    String gav = p.getProperty("groupId") + ":" + p.getProperty("artifactId") + ":"
                            + p.getProperty("version");
                    if (!gav.startsWith("io.ovsanp:")) bundled.add(gav);
                }
            }
            for (var w : WITHOUT_METADATA.entrySet()) {
                assertThat(jar.getEntry(w.getValue()))
                        .as(w.getKey() + " in the jar")
                        .isNotNull();
            }
        }
        String notice = Files.readString(Release.REPO.resolve("NOTICE"));
        int start = notice.indexOf(JAR_SECTION);
        assertThat(start).as("NOTICE has the section \"%s\"", JAR_SECTION).isNotNegative();
        int end = notice.indexOf("\n\n\n", start);
        String section = notice.substring(start, end < 0 ? notice.length() : end);
        Set<String> listed = new TreeSet<>();
        Matcher m = GAV.matcher(section);
        while (m.find()) {
            listed.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3));
        }
        assertThat(bundled).as("artifacts in the agent's jar").isNotEmpty();
        // their versions: picocli's is the build's property, Vert.x core's that of its logging companion
        Matcher picocli = Pattern.compile("<picocli.version>([^<]+)</picocli.version>")
                .matcher(Files.readString(Release.REPO.resolve("pom.xml")));
        assertThat(picocli.find()).isTrue();
        bundled.add("info.picocli:picocli:" + picocli.group(1));
        String vertx = bundled.stream()
                .filter(g -> g.startsWith("io.vertx:vertx-core-logging:"))
                .findFirst()
                .orElseThrow()
                .substring("io.vertx:vertx-core-logging:".length());
        bundled.add("io.vertx:vertx-core:" + vertx);
        assertThat(listed).as("NOTICE's list of the jar's artifacts").containsExactlyInAnyOrderElementsOf(bundled);
    }
}
