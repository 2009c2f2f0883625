package io.ovsanp.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.testkit.Wait;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's contract: lines in queue order, empty renders skipped and counted, a full queue drops
 * and counts instead of blocking or growing, close() writes what is queued. No timing assertions:
 * the writer thread is held on a latch where a test needs the queue to fill, and progress is awaited
 * through the writer's own counters (bounded).
 */
class AuditWriterTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);

    private List<String> stdoutLines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static List<String> numbered(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
    }

    /** Renders {@code i} as {@code line i}; the first item waits for {@code release}, after counting down {@code taken}. */
    private static Function<Integer, Optional<String>> heldAtFirst(CountDownLatch taken, CountDownLatch release) {
        return i -> {
            if (i == 0) {
                taken.countDown();
                try {
                    if (!release.await(BOUND.toSeconds(), TimeUnit.SECONDS))
                        throw new IllegalStateException("never released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Optional.of("line " + i);
        };
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertThat(latch.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as(what).isTrue();
    }

    @Test
    void itemsBecomeLinesInOrderOnStdoutAndInTheFile() throws Exception {
        Path file = dir.resolve("audit.log");
        AuditWriter<Integer> w = new AuditWriter<>(
                256,
                i -> Optional.of("line " + i),
                Optional.of(new RotatingFile(file, 1 << 20, 1)),
                Optional.of(stdout));
        for (int i = 0; i < 200; i++) assertThat(w.offer(i)).isTrue();
        Wait.until(() -> w.written() == 200, BOUND, "200 lines written");
        w.close();
        assertThat(stdoutLines()).isEqualTo(numbered(0, 200));
        assertThat(Files.readAllLines(file)).isEqualTo(numbered(0, 200));
        assertThat(w.dropped()).isZero();
        assertThat(w.skipped()).isZero();
    }

    @Test
    void anItemRenderedEmptyOrFailingIsSkippedAndCounted() {
        AuditWriter<Integer> w = new AuditWriter<>(
                64,
                i -> {
                    if (i % 5 == 4) throw new IllegalArgumentException("cannot describe " + i);
                    return i % 2 == 0 ? Optional.of("line " + i) : Optional.empty();
                },
                Optional.empty(),
                Optional.of(stdout));
        for (int i = 0; i < 10; i++) w.offer(i);
        Wait.until(() -> w.written() + w.skipped() == 10, BOUND, "10 items handled");
        // written: 0, 2, 6, 8; skipped: 1, 3, 5, 7 (empty) and 4, 9 (failed)
        assertThat(w.written()).isEqualTo(4);
        assertThat(w.skipped()).isEqualTo(6);
        assertThat(w.dropped()).isZero();
        w.close();
        assertThat(stdoutLines()).containsExactly("line 0", "line 2", "line 6", "line 8");
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingOrGrowing() throws Exception {
        int capacity = 8;
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AuditWriter<Integer> w =
                new AuditWriter<>(capacity, heldAtFirst(taken, release), Optional.empty(), Optional.of(stdout));
        try {
            assertThat(w.offer(0)).isTrue();
            await(taken, "the writer took the first item"); // and holds it: the queue is empty
            for (int i = 1; i <= capacity; i++)
                assertThat(w.offer(i)).as("item %d fits", i).isTrue();
            int extra = 5;
            for (int i = capacity + 1; i <= capacity + extra; i++) {
                assertThat(w.offer(i)).as("item %d does not fit", i).isFalse();
            }
            assertThat(w.dropped()).isEqualTo(extra);
            assertThat(w.written()).isZero();

            release.countDown();
            Wait.until(() -> w.written() == capacity + 1, BOUND, "the held item and the queued ones written");
            assertThat(stdoutLines()).isEqualTo(numbered(0, capacity + 1)); // never the dropped ones
            assertThat(w.dropped()).isEqualTo(extra);
            assertThat(w.skipped()).isZero();

            // room again: offers succeed
            assertThat(w.offer(100)).isTrue();
            Wait.until(() -> w.written() == capacity + 2, BOUND, "a later item written");
        } finally {
            release.countDown();
            w.close();
        }
    }

    @Test
    void aLineTheFileCannotTakeIsCountedAsDroppedAndTheNextOneTriesAgain() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Path file = logs.resolve("audit.log");
        String pad = ".".repeat(90);
        AuditWriter<Integer> w = new AuditWriter<>(
                16,
                i -> Optional.of(String.format("line %03d", i) + pad), // 100 bytes with the newline
                Optional.of(new RotatingFile(file, 1024, 1)),
                Optional.empty());
        try {
            for (int i = 0; i < 10; i++) w.offer(i);
            Wait.until(() -> w.written() == 10, BOUND, "10 lines written");
            Files.delete(file);
            Files.delete(logs); // the next line rotates, and cannot open a new file
            w.offer(10);
            Wait.until(() -> w.dropped() == 1, BOUND, "the line counted as dropped");
            assertThat(w.written()).isEqualTo(10);

            Files.createDirectory(logs);
            w.offer(11);
            Wait.until(() -> w.written() == 11, BOUND, "the next line written");
        } finally {
            w.close();
        }
        assertThat(Files.readAllLines(file)).containsExactly("line 011" + pad);
        assertThat(w.skipped()).isZero();
    }

    /** Calls close() on another thread and returns once it is waiting for the writer thread. */
    private static Thread closing(AuditWriter<?> w) {
        Thread t = new Thread(w::close, "closing");
        t.start();
        // close() queues the stop marker, then joins the writer thread (with a timeout)
        Wait.until(() -> t.getState() == Thread.State.TIMED_WAITING, BOUND, "close() waiting for the writer");
        return t;
    }

    @Test
    void closeWritesWhatIsQueuedThenClosesTheFile() throws Exception {
        Path file = dir.resolve("audit.log");
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AuditWriter<Integer> w = new AuditWriter<>(
                16, heldAtFirst(taken, release), Optional.of(new RotatingFile(file, 1 << 20, 1)), Optional.empty());
        w.offer(0);
        await(taken, "the writer took the first item");
        for (int i = 1; i < 6; i++) w.offer(i);
        Thread closer = closing(w); // items 1..5 still queued, the stop marker behind them
        release.countDown();
        closer.join(BOUND.toMillis());
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        assertThat(w.written()).isEqualTo(6);
        assertThat(w.dropped()).isZero();
        assertThat(Files.readAllLines(file)).isEqualTo(numbered(0, 6));
    }

    @Test
    void closeOnAFullQueueLosesTheOldestQueuedItemAndCountsIt() throws Exception {
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AuditWriter<Integer> w =
                new AuditWriter<>(3, heldAtFirst(taken, release), Optional.empty(), Optional.of(stdout));
        w.offer(0);
        await(taken, "the writer took the first item");
        for (int i = 1; i <= 3; i++) assertThat(w.offer(i)).isTrue();
        Thread closer = closing(w); // makes room for the stop marker: item 1 goes
        release.countDown();
        closer.join(BOUND.toMillis());
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        assertThat(w.dropped()).isEqualTo(1);
        assertThat(w.written()).isEqualTo(3);
        assertThat(stdoutLines()).containsExactly("line 0", "line 2", "line 3");
    }
}
