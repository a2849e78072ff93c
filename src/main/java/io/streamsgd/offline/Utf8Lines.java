package io.streamsgd.offline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a UTF-8 byte stream, exactly as {@link BufferedReader#readLine} over an
 * {@code InputStreamReader(in, UTF_8)} returns them (a line ends at {@code \n}, {@code \r} or
 * {@code \r\n}; a last line without a terminator counts; malformed bytes become U+FFFD), but
 * without the detour through UTF-16: the reader decodes bytes into chars and the line's
 * {@code String} compresses them back to bytes, where a line of ASCII here becomes a String in
 * one vectorized check and one copy ({@code new String(bytes, UTF_8)}). Profiled on the parser
 * thread of {@code learn}, {@code readLine} was its largest single cost (15%).
 *
 * <p>A line may be of any length (the buffer grows to hold it), as with {@code readLine}; the
 * readers reject lines over their limit. Not thread-safe.
 */
final class Utf8Lines implements LineSource {
    private static final int CHUNK = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LF_BYTES = 0x0A0A_0A0A_0A0A_0A0AL;
    private static final long CR_BYTES = 0x0D0D_0D0D_0D0D_0D0DL;

    private final InputStream in;
    private byte[] buf = new byte[CHUNK];
    /** The unread bytes are {@code buf[pos, limit)}. */
    private int pos;
    private int limit;
    private boolean eof;
    /** The last line ended with {@code \r}: a {@code \n} right after it belongs to that terminator. */
    private boolean skipLf;

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /** The next line without its terminator, or null at the end of the stream. */
    @Override
    public String readLine() throws IOException {
        if (skipLf) {
            if (pos == limit) {
                fill();
            }
            if (pos < limit && buf[pos] == '\n') {
                pos++;
            }
            skipLf = false;
        }
        int scanned = pos; // bytes before this are known not to be terminators
        while (true) {
            int i = terminator(buf, scanned, limit);
            if (i < limit) {
                String line = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                pos = i + 1;
                skipLf = buf[i] == '\r';
                return line;
            }
            scanned = limit - pos; // relative: fill() moves the unread bytes to the front
            if (!fill()) {
                if (pos == limit) {
                    return null;
                }
                String line = new String(buf, pos, limit - pos, StandardCharsets.UTF_8);
                pos = limit;
                return line;
            }
            scanned += pos;
        }
    }

    /**
     * The index of the first {@code \n} or {@code \r} in {@code b[from, to)}, or {@code to}.
     * Eight bytes at a time (a long read from the array, tested for either byte with the usual
     * bit trick: lines are long, and a byte at a time was a third of the parser thread's reading).
     */
    static int terminator(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(b, i);
            if (hasZeroByte(word ^ LF_BYTES) || hasZeroByte(word ^ CR_BYTES)) {
                break;
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return to;
    }

    /** Whether a byte of {@code x} is zero (exact as a yes or no; which byte, it does not tell). */
    private static boolean hasZeroByte(long x) {
        return ((x - 0x0101_0101_0101_0101L) & ~x & 0x8080_8080_8080_8080L) != 0;
    }

    /**
     * Reads more bytes after the unread ones, first moving those to the front of the buffer (and
     * growing it if they fill it). False at the end of the stream.
     */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int unread = limit - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, unread);
            pos = 0;
            limit = unread;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n;
        do {
            n = in.read(buf, limit, buf.length - limit);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
