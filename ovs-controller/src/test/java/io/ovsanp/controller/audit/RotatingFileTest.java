package io.ovsanp.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Size-based rotation: FILE.1 newest .. FILE.keep oldest, whole lines only. */
class RotatingFileTest {
    private static final int MAX = 1024;

    @TempDir
    Path dir;

    /** {@code prefix} padded with dots to 99 characters: 100 bytes with its newline. */
    private static String line(String prefix) {
        return prefix + ".".repeat(99 - prefix.length());
    }

    private static List<String> lines(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> line(prefix + i)).toList();
    }

    private static void write(RotatingFile f, List<String> lines) throws IOException {
        for (String l : lines) f.write(l);
    }

    private Path file() {
        return dir.resolve("audit.log");
    }

    private Path numbered(int i) {
        return dir.resolve("audit.log." + i);
    }

    private static List<String> read(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    @Test
    void writingPastTheLimitShiftsTheFilesAndKeepsAtMostKeep() throws IOException {
        try (RotatingFile f = new RotatingFile(file(), MAX, 2)) {
            write(f, lines("A", 10)); // 1000 bytes: the eleventh line would pass 1024
            f.flush();
            assertThat(Files.size(file())).isEqualTo(1000);
            assertThat(numbered(1)).doesNotExist();

            write(f, lines("B", 10));
            f.flush();
            assertThat(read(numbered(1))).isEqualTo(lines("A", 10));
            assertThat(read(file())).isEqualTo(lines("B", 10));

            write(f, lines("C", 10));
            write(f, lines("D", 1));
            f.flush();
        }
        assertThat(read(file())).isEqualTo(lines("D", 1));
        assertThat(read(numbered(1))).isEqualTo(lines("C", 10)); // newest
        assertThat(read(numbered(2))).isEqualTo(lines("B", 10));
        assertThat(numbered(3)).as("A went: only two rotated files are kept").doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("audit.log", "audit.log.1", "audit.log.2");
        }
    }

    @Test
    void linesReachTheFileOnFlushNotOneWriteEach() throws IOException {
        try (RotatingFile f = new RotatingFile(file(), MAX, 1)) {
            write(f, lines("A", 3));
            assertThat(Files.size(file())).as("buffered").isZero();
            f.flush();
            assertThat(read(file())).isEqualTo(lines("A", 3));
            write(f, lines("B", 8)); // the eighth rotates: what was buffered goes into FILE.1 first
            assertThat(read(numbered(1))).hasSize(10);
        }
    }

    @Test
    void keepZeroKeepsNoRotatedFile() throws IOException {
        try (RotatingFile f = new RotatingFile(file(), MAX, 0)) {
            write(f, lines("A", 10));
            write(f, lines("B", 3));
        }
        assertThat(read(file())).isEqualTo(lines("B", 3));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("audit.log");
        }
    }

    @Test
    void linesAreNeverSplitAcrossFilesAndNoneIsLostWithinKeep() throws IOException {
        List<String> written = new ArrayList<>();
        try (RotatingFile f = new RotatingFile(file(), MAX, 100)) {
            for (int i = 0; i < 300; i++) {
                // 1 to 300 characters, in no particular order, some with multi-byte characters
                int length = 1 + (i * 7919) % 300;
                String l = (i % 3 == 0 ? "é" : "x").repeat(length);
                written.add(l);
                f.write(l);
            }
        }
        List<String> read = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                assertThat(Files.size(numbered(i)))
                        .as("file .%d within the limit", i)
                        .isLessThanOrEqualTo(MAX);
                assertThat(Files.readString(numbered(i))).endsWith("\n");
                read.addAll(read(numbered(i)));
            }
        }
        assertThat(numbered(2)).as("it did rotate more than once").exists();
        assertThat(Files.size(file())).isLessThanOrEqualTo(MAX);
        read.addAll(read(file()));
        assertThat(read).isEqualTo(written);
    }

    @Test
    void aLineLongerThanTheLimitIsWrittenWholeInAFileOfItsOwn() throws IOException {
        String big = "y".repeat(3000);
        try (RotatingFile f = new RotatingFile(file(), MAX, 3)) {
            f.write("small");
            f.write(big);
            f.write("after");
        }
        assertThat(read(numbered(2))).containsExactly("small");
        assertThat(read(numbered(1))).containsExactly(big);
        assertThat(read(file())).containsExactly("after");
    }

    @Test
    void anExistingFileIsAppendedToAndItsSizeCounts() throws IOException {
        Files.write(file(), lines("old", 10), StandardCharsets.UTF_8); // 1000 bytes from an earlier run
        try (RotatingFile f = new RotatingFile(file(), MAX, 1)) {
            f.write(line("new"));
        }
        assertThat(read(numbered(1))).isEqualTo(lines("old", 10));
        assertThat(read(file())).containsExactly(line("new"));
    }

    @Test
    void aFileDeletedUnderItDoesNotStopTheLogAtTheNextRotation() throws IOException {
        for (int keep : new int[] {0, 2}) {
            try (RotatingFile f = new RotatingFile(file(), MAX, keep)) {
                write(f, lines("A", 10));
                Files.delete(file()); // an operator cleaning up; the open file keeps taking lines
                write(f, lines("B", 1)); // rotation time: there is nothing to rotate
                write(f, lines("C", 2));
            }
            List<String> expected = new ArrayList<>(lines("B", 1));
            expected.addAll(lines("C", 2));
            assertThat(read(file())).as("keep=%d", keep).isEqualTo(expected);
            assertThat(numbered(1)).doesNotExist();
            Files.delete(file());
        }
    }

    @Test
    void refusesALimitBelowOneKibAndANegativeKeep() {
        assertThatThrownBy(() -> new RotatingFile(file(), 1023, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RotatingFile(file(), MAX, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(file()).doesNotExist();
    }
}
