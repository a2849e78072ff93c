package io.streamsgd.offline;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** Where {@link FileTrainer} reads its lines: one at a time, without their terminators. */
public interface LineSource extends Closeable {
    /** The next line, or null at the end of the input. */
    String readLine() throws IOException;

    /** The lines of UTF-8 bytes, as a {@code BufferedReader} over them would give them, only faster. */
    static LineSource utf8(InputStream in) {
        return new Utf8Lines(in);
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
