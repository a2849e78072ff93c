package io.streamsgd.offline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of a regular file, read through memory mappings of a window at a time instead of
 * {@code read} calls: {@code Files.newInputStream} copies each chunk twice (the kernel into a
 * direct buffer, then into the caller's array) and a profile of {@code learn} over 454 MB put that
 * at 14% of its parser thread; a mapping costs one copy from the page cache to the caller.
 *
 * <p>The file is read up to the size it has when a window is mapped; if it grew meanwhile the
 * next window takes the new bytes, as a stream would. Each window is unmapped when the next is
 * mapped rather than whenever the collector gets to it, so the process's resident size does not
 * grow with the file; the last one is left to the collector, since {@link #close}
 * may be called from another thread than the reader's (a window unmapped under a read would crash
 * the JVM). Not for concurrent reads. A file truncated while it is read fails the next read with an
 * {@link IOException}: each read first checks that the file still holds the bytes it copies (an
 * {@code fstat} per read of up to 64 KB). A truncation between that check and the copy makes the
 * JVM throw an {@link InternalError} in the reading thread soon after; {@link LineParser} passes
 * any such failure on to the learning thread as the end of the input, so it is reported, not
 * fatal, either way.
 */
final class MappedFileInput extends InputStream {
    /** Bytes a window maps: a handful of mappings for a large file, little address space for each. */
    static final int WINDOW = 64 << 20;

    /** For unmapping a window at once ({@code sun.misc.Unsafe#invokeCleaner}); null where it is not available. */
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private final FileChannel channel;
    private final int window;
    private MappedByteBuffer mapped;
    /** The file offset of the current window's first byte. */
    private long windowStart;

    MappedFileInput(Path file) throws IOException {
        this(file, WINDOW);
    }

    MappedFileInput(Path file, int window) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.window = window;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if ((mapped == null || !mapped.hasRemaining()) && !mapNext()) {
            return -1;
        }
        int n = Math.min(len, mapped.remaining());
        long end = windowStart + mapped.position() + n;
        long size = channel.size();
        if (size < end) { // a copy from a mapping past the end of its file would fault
            throw new IOException("the file shrank to " + size + " bytes while it was read (at byte " + end + ")");
        }
        mapped.get(b, off, n);
        return n;
    }

    /** Maps the window after the current one (unmapping that one); false at the end of the file. */
    private boolean mapNext() throws IOException {
        long start = mapped == null ? 0 : windowStart + mapped.capacity();
        long size = channel.size();
        if (start >= size) {
            return false;
        }
        if (mapped != null) {
            MappedByteBuffer done = mapped;
            mapped = null;
            if (UNSAFE != null) {
                UNSAFE.invokeCleaner(done); // only this thread reads the windows, and it is done with this one
            }
        }
        windowStart = start;
        mapped = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(window, size - start));
        return true;
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // the windows are then unmapped by the collector
        }
    }

    @Override
    public void close() throws IOException {
        channel.close(); // the mapping stays valid until the collector unmaps it (see the class comment)
    }
}
