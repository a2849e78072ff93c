package io.streamsgd.codec;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared real data files ({@code ../shared/data} next to the repository root), from the
 * system property {@code streamsgd.data} or by walking up from the working directory. Tests that
 * need them are skipped, with the reason, where they are absent (a clone without the data).
 * Public for the tests and benchmarks of other packages.
 */
public final class TestData {
    private TestData() {
    }

    public static Path file(String name) {
        Path dir = dir();
        assumeTrue(dir != null, "shared data directory ../shared/data not found; set -Dstreamsgd.data=DIR");
        Path file = dir.resolve(name);
        assumeTrue(Files.isReadable(file), "shared data file missing: " + file);
        return file;
    }

    private static Path dir() {
        String configured = System.getProperty("streamsgd.data");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null && d.getParent() != null; d = d.getParent()) {
            Path candidate = d.getParent().resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
