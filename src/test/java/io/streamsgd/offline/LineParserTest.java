package io.streamsgd.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.streamsgd.codec.Event;
import io.streamsgd.codec.LibSvmReader;
import io.streamsgd.codec.LineReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser thread of {@code learn}: every line comes back once, in order, with its number;
 * rejected lines and failures travel in their place; the thread never outlives its use and the
 * consumer never waits forever.
 */
class LineParserTest {
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    /** Lines 1..n: "label 1:value", every 10th blank, every 7th rejected (a bad label). */
    private static String lines(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            if (i % 10 == 0) {
                b.append('\n');
            } else if (i % 7 == 0) {
                b.append("bad 1:1\n");
            } else {
                b.append(i % 2).append(" 1:").append(i).append('\n');
            }
        }
        return b.toString();
    }

    /** What a batch says about each of its lines, "number kind detail", until the last batch. */
    private static List<String> drain(LineParser parser) throws IOException {
        List<String> seen = new ArrayList<>();
        boolean last;
        do {
            ParsedBatch batch = parser.next();
            for (int i = 0; i < batch.size(); i++) {
                String detail = switch (batch.kind(i)) {
                    case EVENT -> batch.event(i).label() + " " + batch.event(i).features().value(0);
                    case BAD -> batch.reason(i);
                    case NONE -> "";
                };
                seen.add(batch.lineNumber(i) + " " + batch.kind(i) + " " + detail);
            }
            if (batch.failure() != null) {
                seen.add("failure " + batch.failure().getMessage());
            }
            last = batch.isLast();
            parser.recycle(batch);
        } while (!last);
        return seen;
    }

    private static List<String> sequentially(String text, LineReader reader) throws IOException {
        try (LineParser parser = new LineParser(LineSource.of(new BufferedReader(new StringReader(text))), reader, Event.HASHER, 100_000, Integer.MAX_VALUE)) {
            return drain(parser);
        }
    }

    @Test
    void shouldDeliverEveryLineInOrderWithItsNumber() {
        String text = lines(5_000);
        assertTimeoutPreemptively(NO_HANG, () -> {
            List<String> seen;
            try (LineParser parser = new LineParser(LineSource.of(new BufferedReader(new StringReader(text))), new LibSvmReader(), Event.HASHER, 7, Integer.MAX_VALUE)) {
                seen = drain(parser);
            }
            assertThat(seen).hasSize(5_000);
            assertThat(seen.get(0)).isEqualTo("1 EVENT 1.0 1.0");
            assertThat(seen.get(6)).isEqualTo("7 BAD bad_label: the label 'bad' is not a finite number");
            assertThat(seen.get(9)).isEqualTo("10 NONE ");
            assertThat(seen.get(4_998)).isEqualTo("4999 EVENT 1.0 4999.0");
            // the same as one batch holding every line, parsed on the parser thread in one go
            assertThat(seen).isEqualTo(sequentially(text, new LibSvmReader()));
        });
    }

    @Test
    void shouldEndWithAnEmptyLastBatchWhenTheLinesFillTheBatchesExactly() {
        assertTimeoutPreemptively(NO_HANG, () -> {
            try (LineParser parser = new LineParser(LineSource.of(new BufferedReader(new StringReader(lines(12)))), new LibSvmReader(), Event.HASHER, 4, Integer.MAX_VALUE)) {
                assertThat(drain(parser)).hasSize(12).last().asString().startsWith("12 ");
            }
            try (LineParser parser = new LineParser(LineSource.of(new BufferedReader(new StringReader(""))), new LibSvmReader(), Event.HASHER, 4, Integer.MAX_VALUE)) {
                assertThat(drain(parser)).isEmpty();
            }
        });
    }

    @Test
    void shouldDeliverAReadFailureAfterTheLinesReadBeforeIt() {
        Reader failing = new FailingReader(lines(100), new IOException("disk on fire"));
        assertTimeoutPreemptively(NO_HANG, () -> {
            try (LineParser parser = new LineParser(LineSource.of(new BufferedReader(failing, 16)), new LibSvmReader(), Event.HASHER, 8, Integer.MAX_VALUE)) {
                List<String> seen = drain(parser);
                assertThat(seen).last().isEqualTo("failure disk on fire");
                assertThat(seen.subList(0, seen.size() - 1)).hasSize(100)
                        .allSatisfy(s -> assertThat(s).doesNotStartWith("failure"));
            }
        });
    }

    @Test
    void shouldDeliverAReaderBugAsAFailureAfterTheLinesBeforeIt() {
        LibSvmReader libsvm = new LibSvmReader();
        LineReader buggy = (line, into) -> {
            if (line.equals("1 1:33")) {
                throw new IllegalStateException("bug");
            }
            return libsvm.parse(line, into);
        };
        assertTimeoutPreemptively(NO_HANG, () -> {
            try (LineParser parser = new LineParser(LineSource.of(new BufferedReader(new StringReader(lines(100)))), buggy, Event.HASHER, 5, Integer.MAX_VALUE)) {
                List<String> seen = drain(parser);
                assertThat(seen).hasSize(33).last().isEqualTo("failure bug");
                assertThat(seen.get(31)).startsWith("32 ");
            }
        });
    }

    @Test
    void closeShouldStopAParserThatIsAhead() {
        assertTimeoutPreemptively(NO_HANG, () -> {
            LineParser parser = new LineParser(LineSource.of(new BufferedReader(new EndlessReader())), new LibSvmReader(), Event.HASHER, 4, Integer.MAX_VALUE);
            ParsedBatch first = parser.next();
            assertThat(first.lineNumber(0)).isEqualTo(1);
            parser.close();
            assertThat(parser.thread().isAlive()).isFalse();
        });
    }

    @Test
    void closeShouldReturnEvenWhenTheParserIsBlockedInARead() {
        BlockedReader blocked = new BlockedReader();
        assertTimeoutPreemptively(NO_HANG, () -> {
            LineParser parser = new LineParser(LineSource.of(new BufferedReader(blocked)), new LibSvmReader(), Event.HASHER, 4, Integer.MAX_VALUE);
            parser.close(); // a read that ignores interrupts (a terminal): close gives up after a while
            blocked.release();
            parser.thread().join();
        });
    }

    @Test
    void nextShouldFailInsteadOfWaitingForAParserThreadThatDied() {
        assertTimeoutPreemptively(NO_HANG, () -> {
            LineParser parser = new LineParser(LineSource.of(new BufferedReader(new EndlessReader())), new LibSvmReader(), Event.HASHER, 4, Integer.MAX_VALUE);
            parser.thread().interrupt(); // as if the thread had died: it stops without a last batch
            parser.thread().join();
            assertThatThrownBy(() -> {
                while (true) {
                    parser.recycle(parser.next());
                }
            }).isInstanceOf(IllegalStateException.class).hasMessageContaining("parser thread ended");
            parser.close();
        });
    }

    @Test
    void nextShouldStopWaitingWhenItsThreadIsInterrupted() {
        assertTimeoutPreemptively(NO_HANG, () -> {
            BlockedReader blocked = new BlockedReader();
            try (LineParser parser = new LineParser(LineSource.of(new BufferedReader(blocked)), new LibSvmReader(), Event.HASHER, 4, Integer.MAX_VALUE)) {
                Thread.currentThread().interrupt();
                assertThatThrownBy(parser::next).isInstanceOf(InterruptedIOException.class);
                assertThat(Thread.interrupted()).isTrue();
                blocked.release();
            }
        });
    }

    /** Gives {@code text}, then fails. */
    private static final class FailingReader extends Reader {
        private final StringReader text;
        private final IOException failure;

        FailingReader(String text, IOException failure) {
            this.text = new StringReader(text);
            this.failure = failure;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = text.read(buffer, offset, length);
            if (n < 0) {
                throw failure;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }

    /** "1 1:1" lines for ever. */
    private static final class EndlessReader extends Reader {
        private static final char[] LINE = "1 1:1\n".toCharArray();
        private int at;

        @Override
        public int read(char[] buffer, int offset, int length) {
            for (int i = 0; i < length; i++) {
                buffer[offset + i] = LINE[at];
                at = (at + 1) % LINE.length;
            }
            return length;
        }

        @Override
        public void close() {
        }
    }

    /** A read that waits, deaf to interrupts, until released; then the input ends. */
    private static final class BlockedReader extends Reader {
        private volatile boolean released;

        void release() {
            released = true;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            while (!released) {
                Thread.onSpinWait();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    // deaf, like a read of a terminal
                }
            }
            return -1;
        }

        @Override
        public void close() {
        }
    }
}
