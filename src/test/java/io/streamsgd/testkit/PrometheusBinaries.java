package io.streamsgd.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Finds the {@code prometheus} and {@code promtool} executables and runs promtool.
 *
 * <p>Tests that need them fail (never skip) when they are missing: CI installs the Debian package
 * ({@code .ci/run}), so a missing binary on a developer machine must be visible, not a silently
 * green build. Override the lookup with the system properties {@code prometheus.bin} and
 * {@code promtool.bin}.
 */
public final class PrometheusBinaries {
    private static final String INSTALL_HINT =
            "install the Debian package (sudo apt-get install -y prometheus, as .ci/run does) "
                    + "or set -D%s.bin=/path/to/%s";

    private PrometheusBinaries() {}

    /** The {@code prometheus} server executable. */
    public static Path prometheus() {
        return find("prometheus");
    }

    /** The {@code promtool} executable. */
    public static Path promtool() {
        return find("promtool");
    }

    /** Output and exit code of a finished command. */
    public record Result(int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code promtool args...} in {@code workingDir} and returns its exit code with stdout and
     * stderr merged (promtool prints its findings on both).
     */
    public static Result promtool(Path workingDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(promtool().toString());
        command.addAll(List.of(args));
        return run(workingDir, command);
    }

    static Result run(Path workingDir, List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after 60 s: " + command);
            }
            return new Result(process.exitValue(), new String(output, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static Path find(String name) {
        String override = System.getProperty(name + ".bin");
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(
                        "-D" + name + ".bin=" + override + " is not an executable file");
            }
            return path;
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not found on the PATH: "
                + String.format(Locale.ROOT, INSTALL_HINT, name, name));
    }
}
