package io.ovsanp.it.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.CommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The design the code relies on is written in this repository (docs/architecture.md, docs/semantics.md,
 * docs/ovs-notes.md, docs/style.md), and every citation of it resolves. No tracked file cites a design
 * document outside the checkout: neither by the upper-case names those documents had there nor by a
 * path into the shared directory beside it. A citation {@code docs/NAME.md §N.M} names a numbered
 * heading of that page; {@code docs/NAME.md, "Title"} names a heading (or a bulleted bold term) that
 * starts with the title; and every {@code docs/NAME.md} exists. Files are what {@code git ls-files}
 * lists (the tree without {@code .git} and {@code target} when git cannot say).
 */
class DesignCitationsTest {
    private static final Path REPO =
            Path.of(System.getProperty("ovsanp.repo", "..")).toAbsolutePath().normalize();

    /** Citations of documents outside the repository. Written so that this file does not match them. */
    private static final Pattern OUTSIDE =
            Pattern.compile("(?:ARCHITECTURE|SEMANTICS|STYLE)\\.md|OVS-NOTE[S]|\\.\\./shared/|/work/shar[e]d");

    /** A page of docs/: by its path from the top, or inside docs/ by its file name; maybe a Markdown link. */
    private static final Pattern PAGE =
            Pattern.compile("(?<![\\w/.-])(docs/)?([a-z0-9][a-z0-9-]*)\\.md(?:\\]\\([^)\\s]*\\))?");

    /** What may follow a page name in a chain of section numbers: space, comment marks, commas, "and", (notes). */
    private static final Pattern SECTION_CHAIN =
            Pattern.compile("\\A(?:[\\s*/#,]+|and\\b|§\\d+(?:\\.\\d+)*(?:-\\d+(?:\\.\\d+)*)?|\\([^()]*\\))*");

    private static final Pattern SECTION = Pattern.compile("§(\\d+(?:\\.\\d+)*)(?:-(\\d+(?:\\.\\d+)*))?");

    /**
     * A quoted title right after the page name; it may run over a line break of a comment. It starts
     * with a letter, so that string literals next to one another in code ({@code "a.md", "b.md"}) are
     * not read as a title.
     */
    private static final Pattern TITLE = Pattern.compile("\\A,?[\\s*/#]*\"(\\p{L}[^\"]{0,199})\"");

    private static final Pattern NUMBERED_HEADING = Pattern.compile("^#{1,6}\\s+(\\d+(?:\\.\\d+)*)\\.?\\s");
    private static final Pattern BOLD_TERM = Pattern.compile("^\\s*[-*]\\s+\\*\\*(.+?)\\*\\*");

    private static List<Path> files;
    private static final Map<String, Page> PAGES = new HashMap<>();

    /** The headings of one page of docs/. */
    private record Page(Set<String> sections, List<String> titles) {}

    @BeforeAll
    static void listFiles() throws IOException, InterruptedException {
        files = tracked();
        assertThat(files)
                .as("tracked files of " + REPO)
                .extracting(p -> REPO.relativize(p).toString())
                .contains(
                        "README.md", "docs/ovs-notes.md", "docs/architecture.md", "docs/semantics.md", "docs/style.md");
    }

    @Test
    void noFileCitesADesignDocumentOutsideTheRepository() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            String text = read(f);
            if (text == null) continue;
            Matcher m = OUTSIDE.matcher(text);
            while (m.find()) {
                found.add(where(f, text, m.start()) + ": " + m.group());
            }
        }
        assertThat(found)
                .as("citations of design documents outside the repository (cite docs/architecture.md,"
                        + " docs/semantics.md, docs/ovs-notes.md, docs/style.md instead)")
                .isEmpty();
    }

    @Test
    void everyCitedSectionExists() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path f : files) {
            String text = read(f);
            if (text == null) continue;
            boolean insideDocs = REPO.relativize(f).startsWith("docs");
            Matcher m = PAGE.matcher(text);
            while (m.find()) {
                boolean byPath = m.group(1) != null;
                if (!byPath && !insideDocs) continue; // "x.md" outside docs/ is some other file
                String name = m.group(2) + ".md";
                Path page = REPO.resolve("docs").resolve(name);
                int at = m.start();
                if (!Files.isRegularFile(page)) {
                    if (byPath) broken.add(where(f, text, at) + ": docs/" + name + " does not exist");
                    continue;
                }
                Page headings = page(page);
                String rest = text.substring(m.end(), Math.min(text.length(), m.end() + 400));
                Matcher chain = SECTION_CHAIN.matcher(rest);
                if (chain.find()) {
                    Matcher s = SECTION.matcher(chain.group().replaceAll("\\([^()]*\\)", ""));
                    while (s.find()) {
                        for (int g = 1; g <= 2; g++) {
                            String number = s.group(g);
                            if (number == null) continue;
                            checked++;
                            if (!headings.sections().contains(number)) {
                                broken.add(where(f, text, at) + ": " + name + " has no section " + number);
                            }
                        }
                    }
                }
                Matcher title = TITLE.matcher(rest);
                if (title.find()) {
                    String t = title.group(1)
                            .replaceAll("\\s*\\R\\s*(?:\\*(?!\\*)|//|#)?\\s*", " ")
                            .trim();
                    checked++;
                    if (headings.titles().stream().noneMatch(h -> h.startsWith(t))) {
                        broken.add(where(f, text, at) + ": " + name + " has no heading \"" + t + "\"");
                    }
                }
            }
        }
        assertThat(checked).as("section and title citations found").isPositive();
        assertThat(broken).as("citations of sections that do not exist").isEmpty();
    }

    private static Page page(Path file) throws IOException {
        String key = file.getFileName().toString();
        Page p = PAGES.get(key);
        if (p != null) return p;
        Set<String> sections = new LinkedHashSet<>();
        List<String> titles = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) fenced = !fenced;
            if (fenced) continue;
            Matcher n = NUMBERED_HEADING.matcher(line);
            if (n.find()) sections.add(n.group(1));
            if (line.startsWith("#")) titles.add(line.replaceFirst("^#+\\s*", ""));
            Matcher b = BOLD_TERM.matcher(line);
            if (b.find()) titles.add(b.group(1));
        }
        p = new Page(sections, titles);
        PAGES.put(key, p);
        return p;
    }

    /** The file's text, or null for a binary file. */
    private static String read(Path f) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) return null;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String where(Path f, String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') line++;
        }
        return REPO.relativize(f) + ":" + line;
    }

    /** The regular files git tracks; without git, every file outside .git and target/. */
    private static List<Path> tracked() throws IOException, InterruptedException {
        List<Path> out = new ArrayList<>();
        Command.Result git = null;
        try {
            git = Command.of("git", "-C", REPO.toString(), "ls-files", "-z")
                    .timeout(Duration.ofSeconds(30))
                    .run();
        } catch (CommandException noGit) {
            // fall through to the walk
        }
        if (git != null && git.ok() && !git.stdout().isEmpty()) {
            for (String name : git.stdout().split("\0")) {
                Path p = REPO.resolve(name);
                if (!name.isEmpty() && Files.isRegularFile(p)) out.add(p);
            }
            return out;
        }
        try (Stream<Path> walk = Files.walk(REPO)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        Path rel = REPO.relativize(p);
                        for (Path part : rel) {
                            String s = part.toString();
                            if (s.equals(".git") || s.equals("target")) return false;
                        }
                        return true;
                    })
                    .sorted()
                    .forEach(out::add);
        }
        return out;
    }
}
