package io.ovsanp.controller.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the first byte of a file that is not UTF-8, for the message of a file the reader refused
 * (the decoder reads ahead, so its exception does not know where). Runs only on that error path.
 */
final class Utf8Scan {
    private Utf8Scan() {}

    /** The offending byte and its 0-based offset in the file. */
    record Invalid(long offset, int value) {
        String describe() {
            return String.format("invalid byte 0x%02X at offset %d", value, offset);
        }
    }

    static Optional<Invalid> firstInvalid(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(8192);
        // Decoding n bytes of UTF-8 gives at most n chars, so `out` never overflows.
        CharBuffer out = CharBuffer.allocate(8192);
        long offset = 0;
        try (InputStream s = Files.newInputStream(file)) {
            while (true) {
                int n = s.read(in.array(), in.position(), in.remaining());
                boolean end = n < 0;
                in.position(in.position() + Math.max(n, 0));
                in.flip();
                int start = in.position();
                CoderResult r = decoder.decode(in, out, end);
                offset += in.position() - start;
                if (r.isError()) {
                    return Optional.of(new Invalid(offset, in.get(in.position()) & 0xff));
                }
                if (end) {
                    return Optional.empty();
                }
                out.clear();
                in.compact();
            }
        }
    }
}
