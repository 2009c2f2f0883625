package io.ovsanp.it.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No container engine runs in CI, so the image's recipe is checked statically: what the build stage
 * copies from the context exists and is not left out by .dockerignore (the Maven build of the
 * distribution needs the wrapper, every module's POM, the sources, deploy/ and the training snapshot),
 * the build stage makes the directory the final stage copies, from the tarball distribution/pom.xml
 * names, and the final stage's entrypoint is a file of that distribution.
 */
class DockerfileTest {
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(--from=(\\S+)\\s+)?(\\S+)\\s+(\\S+)\\s*$");

    record Stage(String image, String name, String body) {}

    static List<Stage> stages(String dockerfile) {
        String joined = dockerfile.replaceAll("\\\\\\n", " ");
        Matcher m = FROM.matcher(joined);
        List<int[]> starts = new ArrayList<>();
        List<String[]> heads = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
            heads.add(new String[] {m.group(1), m.group(2)});
        }
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : joined.length();
            stages.add(new Stage(heads.get(i)[0], heads.get(i)[1], joined.substring(starts.get(i)[1], end)));
        }
        return stages;
    }

    /** .dockerignore's patterns as regular expressions over context-relative paths (Go filepath.Match, plus **). */
    static List<Pattern> ignored() throws IOException {
        List<Pattern> patterns = new ArrayList<>();
        for (String line : Files.readAllLines(Release.REPO.resolve(".dockerignore"))) {
            String p = line.strip();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            assertThat(p).as("exceptions (!) are not modelled by this test").doesNotStartWith("!");
            p = p.replaceAll("/+$", "").replaceAll("^/", "");
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (p.startsWith("**/", i)) {
                    re.append("(?:.*/)?");
                    i += 2;
                } else if (p.startsWith("**", i)) {
                    re.append(".*");
                    i += 1;
                } else if (c == '*') {
                    re.append("[^/]*");
                } else if (c == '?') {
                    re.append("[^/]");
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            patterns.add(Pattern.compile(re.toString()));
        }
        return patterns;
    }

    /** Whether the context path, or a directory above it, matches a pattern. */
    static boolean excluded(String path, List<Pattern> patterns) {
        for (Path p = Path.of(path); p != null; p = p.getParent()) {
            String s = p.toString();
            if (patterns.stream().anyMatch(re -> re.matcher(s).matches())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theIgnoreRulesMeanWhatTheTestAssumes() throws IOException {
        List<Pattern> patterns = ignored();
        assertThat(excluded("ovs-controller/target/ovs-anp.jar", patterns)).isTrue();
        assertThat(excluded("target/x", patterns)).isTrue();
        assertThat(excluded(".git/HEAD", patterns)).isTrue();
        assertThat(excluded("ovs-controller/src/main/java/io/ovsanp/controller/cli/Main.java", patterns))
                .isFalse();
    }

    @Test
    void theBuildStageGetsWhatTheMavenBuildNeedsAndTheFinalStageRunsTheLauncher() throws IOException {
        String dockerfile = Files.readString(Release.REPO.resolve("Dockerfile"));
        List<Stage> stages = stages(dockerfile);
        assertThat(stages).hasSize(2);
        Stage build = stages.get(0);
        Stage last = stages.get(1);
        assertThat(build.image()).startsWith("eclipse-temurin:17-jdk");
        assertThat(last.image()).isEqualTo("debian:bookworm-slim");

        // Context copies of the build stage: their sources exist and are not ignored.
        List<Pattern> patterns = ignored();
        Matcher copy = COPY.matcher(build.body());
        List<String> sources = new ArrayList<>();
        while (copy.find()) {
            assertThat(copy.group(2))
                    .as("the build stage copies from the context")
                    .isNull();
            sources.add(copy.group(3));
        }
        assertThat(sources).isNotEmpty();
        List<String> needed = new ArrayList<>(List.of(
                "mvnw",
                ".mvn/wrapper/maven-wrapper.properties",
                ".mvn/jvm.config",
                "pom.xml",
                "flow-compiler/src/main",
                "ovs-controller/src/main",
                "distribution/src/bin/ovs-anp",
                "deploy",
                "examples/node-ports-blocked/policy.yaml",
                "LICENSE",
                "NOTICE",
                "README.md"));
        for (String module :
                List.of("flow-compiler", "ovs-controller", "dev-apiserver", "distribution", "integration-tests")) {
            needed.add(module + "/pom.xml"); // Maven reads every module of the reactor, even with -pl
        }
        for (String path : needed) {
            assertThat(Release.REPO.resolve(path)).as(path).exists();
            assertThat(sources.stream().anyMatch(s -> s.equals(".") || path.equals(s) || path.startsWith(s + "/")))
                    .as(path + " is copied into the build stage")
                    .isTrue();
            assertThat(excluded(path, patterns))
                    .as(path + " left out by .dockerignore")
                    .isFalse();
        }
        // The commit comes from the build argument, not .git (left out of the context).
        assertThat(excluded(".git", patterns)).isTrue();
        assertThat(build.body()).contains("ARG OVSANP_COMMIT").contains("-Dovsanp.commit=\"${OVSANP_COMMIT}\"");

        // The build stage makes /dist from the tarball the distribution module writes ...
        assertThat(build.body())
                .containsPattern("mvnw -B package -pl distribution -am")
                .contains("tar -xzf distribution/target/ovs-anp-*-linux-x64.tar.gz -C /dist --strip-components=1");
        assertThat(Files.readString(Release.REPO.resolve("distribution/pom.xml")))
                .contains("<dist.name>ovs-anp-${project.version}</dist.name>")
                .contains("${project.build.directory}/${dist.name}-linux-x64.tar.gz");
        // ... which the final stage copies to /opt/ovs-anp, whose launcher is the entrypoint.
        Matcher fin = COPY.matcher(last.body());
        assertThat(fin.find()).isTrue();
        assertThat(fin.group(2)).isEqualTo(build.name());
        assertThat(fin.group(3)).isEqualTo("/dist/");
        assertThat(fin.group(4)).isEqualTo("/opt/ovs-anp/");
        Matcher entry = Pattern.compile("(?m)^ENTRYPOINT \\[\"/opt/ovs-anp/([^\"]+)\"\\]")
                .matcher(last.body());
        assertThat(entry.find()).as("ENTRYPOINT [\"/opt/ovs-anp/...\"]").isTrue();
        Path launcher = Release.REPO
                .resolve("distribution/target")
                .resolve(Release.distName())
                .resolve(entry.group(1));
        assertThat(launcher).as("the entrypoint in the built distribution").isRegularFile();
        assertThat(Files.isExecutable(launcher)).isTrue();
    }
}
