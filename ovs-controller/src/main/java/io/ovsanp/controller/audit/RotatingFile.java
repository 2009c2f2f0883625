package io.ovsanp.controller.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Appends lines to {@code path}; when the next line would take it past {@code maxBytes} it becomes
 * {@code path.1} (the older ones {@code .2} up to {@code .keep}, the oldest deleted) and a new file
 * starts. So the log never holds more than about {@code (keep + 1) * maxBytes} on disk. Lines are
 * buffered: they reach the file on {@link #flush()} (the writer flushes whenever its queue is empty),
 * when the buffer is full, and before a rotation. Not thread safe: one writer thread owns it.
 */
final class RotatingFile implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    private final Path path;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    RotatingFile(Path path, long maxBytes, int keep) throws IOException {
        if (maxBytes < 1024) throw new IllegalArgumentException("audit log size limit below 1 KiB: " + maxBytes);
        if (keep < 0) throw new IllegalArgumentException("negative number of rotated audit logs: " + keep);
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = keep;
        open();
    }

    void write(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + bytes.length > maxBytes) rotate();
        out.write(bytes);
        size += bytes.length;
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * Shifts the files and starts a new one. A file deleted under us (an operator cleaning up) is
     * simply not there to shift. Whatever fails, a file is opened again, so the log is never left
     * closed: the failed line is lost (the writer counts it) and the next one tries again.
     */
    private void rotate() throws IOException {
        try {
            out.close();
            if (keep == 0) {
                Files.deleteIfExists(path);
            } else {
                Files.deleteIfExists(numbered(keep));
                for (int i = keep - 1; i >= 1; i--) {
                    if (Files.exists(numbered(i))) {
                        Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                if (Files.exists(path)) Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            open();
        }
    }

    private Path numbered(int i) {
        return path.resolveSibling(path.getFileName() + "." + i);
    }

    private void open() throws IOException {
        out = new BufferedOutputStream(
                Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND), BUFFER);
        size = Files.size(path);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
