package io.streamsgd.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MappedFileInput} gives a file's bytes exactly, across windows, and what is appended while it reads. */
class MappedFileInputTest {
    @TempDir
    Path dir;

    private static byte[] readAll(InputStream in, SplittableRandom random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[100];
        while (true) {
            int len = random.nextInt(chunk.length + 1);
            int n = in.read(chunk, 0, len);
            if (n < 0) {
                return out.toByteArray();
            }
            assertThat(n).isBetween(len == 0 ? 0 : 1, len);
            out.write(chunk, 0, n);
        }
    }

    @Test
    void shouldGiveTheFilesBytesAcrossWindowsOfAnySize() throws IOException {
        SplittableRandom random = new SplittableRandom(31);
        for (int size : new int[] {0, 1, 7, 64, 1_000, 100_003}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Path file = Files.write(dir.resolve("f" + size), bytes);
            for (int window : new int[] {1, 7, 64, 4096, MappedFileInput.WINDOW}) {
                try (MappedFileInput in = new MappedFileInput(file, window)) {
                    assertThat(readAll(in, random)).as("%d bytes in windows of %d", size, window).isEqualTo(bytes);
                    assertThat(in.read()).isEqualTo(-1);
                    assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void shouldReadOneByteAtATime() throws IOException {
        Path file = Files.write(dir.resolve("bytes"), new byte[] {0, (byte) 0xFF, 'a'});
        try (MappedFileInput in = new MappedFileInput(file, 2)) {
            assertThat(in.read()).isEqualTo(0);
            assertThat(in.read()).isEqualTo(0xFF);
            assertThat(in.read()).isEqualTo('a');
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldReadWhatIsAppendedWhileItReads() throws IOException {
        Path file = Files.writeString(dir.resolve("growing"), "first\nsecond\n");
        try (LineSource lines = new Utf8Lines(new MappedFileInput(file, 4))) {
            assertThat(lines.readLine()).isEqualTo("first");
            Files.writeString(file, "third\n", StandardOpenOption.APPEND);
            assertThat(lines.readLine()).isEqualTo("second");
            assertThat(lines.readLine()).isEqualTo("third");
            assertThat(lines.readLine()).isNull();
        }
    }

    @Test
    void shouldFailAReadOfAFileTruncatedUnderIt() throws IOException {
        byte[] bytes = new byte[1 << 20];
        Path file = Files.write(dir.resolve("shrinking"), bytes);
        try (MappedFileInput in = new MappedFileInput(file)) {
            assertThat(in.read(new byte[10], 0, 10)).isEqualTo(10);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(0);
            }
            assertThatThrownBy(() -> in.read(new byte[100_000], 0, 100_000)).isInstanceOf(IOException.class)
                    .hasMessageContaining("shrank");
        }
    }

    @Test
    void shouldGiveTheLinesABufferedReaderGivesForAFileOrAPipe() throws IOException {
        String text = "a b\r\nc\rd\n\nlast é without terminator";
        Path file = Files.writeString(dir.resolve("lines"), text);
        List<String> expected;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            expected = r.lines().toList();
        }
        assertThat(lines(LineSource.utf8(file))).isEqualTo(expected);
        assertThat(lines(LineSource.utf8(Path.of("/dev/null")))).isEmpty(); // not a regular file: streamed
    }

    private static List<String> lines(LineSource source) throws IOException {
        List<String> lines = new ArrayList<>();
        try (source) {
            for (String line; (line = source.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }
}
