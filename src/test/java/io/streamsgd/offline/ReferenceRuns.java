package io.streamsgd.offline;

import io.streamsgd.codec.EventFormat;
import io.streamsgd.codec.TestData;
import io.streamsgd.learn.LearnerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One single pass of {@link FileTrainer} with progressive validation over a reference data file of
 * {@code ../shared/data}, as {@code streamsgd learn --input FILE} runs it (format from the
 * extension, no predictions written). Tests skip, with the reason, when the data is absent.
 */
final class ReferenceRuns {
    private ReferenceRuns() {
    }

    static FileTrainer.Result run(String fileName, LearnerConfig config) {
        return run(TestData.file(fileName), config);
    }

    static FileTrainer.Result run(Path file, LearnerConfig config) {
        FileTrainer trainer = new FileTrainer("reference", config);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return trainer.run(in, EventFormat.fromFileName(file.getFileName().toString()).newLineReader(), null,
                    (line, reason) -> {
                        throw new IllegalStateException(file + " line " + line + " rejected: " + reason);
                    }, null, Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
