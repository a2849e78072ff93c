package io.streamsgd.offline;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where {@link FileTrainer} reads its lines: one at a time, without their terminators. */
public interface LineSource extends Closeable {
    /** The next line, or null at the end of the input. */
    String readLine() throws IOException;

    /** The lines of UTF-8 bytes, as a {@code BufferedReader} over them would give them, only faster. */
    static LineSource utf8(InputStream in) {
        return new Utf8Lines(in);
    }

    /**
     * The lines of a UTF-8 file, as {@link #utf8(InputStream)} gives them: a regular file is read
     * through memory mappings ({@link MappedFileInput}), anything else (a pipe, a device) as a stream.
     */
    static LineSource utf8(Path file) throws IOException {
        return new Utf8Lines(Files.isRegularFile(file) ? new MappedFileInput(file) : Files.newInputStream(file));
    }

    /** The lines of an already decoded text. */
    static LineSource of(BufferedReader reader) {
        return new LineSource() {
            @Override
            public String readLine() throws IOException {
                return reader.readLine();
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }
}
