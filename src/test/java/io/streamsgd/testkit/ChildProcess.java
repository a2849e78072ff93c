package io.streamsgd.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code java -jar target/streamsgd.jar ...} as a child process, as a user runs it, with stdout
 * and stderr captured to files. The jar's path comes from the system property
 * {@code streamsgd.jar}, which failsafe sets (see the pom): the integration tests run after
 * {@code package}.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The built jar; fails the test if it is not there. */
    public static Path jar() {
        String property = System.getProperty("streamsgd.jar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            throw new AssertionError("the built jar is needed (system property streamsgd.jar, set by failsafe after"
                    + " package), got " + property);
        }
        return Path.of(property);
    }

    /** Starts {@code java -Xmx<heap> -jar streamsgd.jar args...}, its output in {@code dir}. */
    public static ChildProcess startJar(Path dir, String heap, String... args) throws IOException {
        return startJar(dir, heap, Map.of(), args);
    }

    /** As {@link #startJar(Path, String, String...)}, with extra environment variables. */
    public static ChildProcess startJar(Path dir, String heap, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-jar", jar().toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        return new ChildProcess(process, out, err);
    }

    public Process process() {
        return process;
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Waits for the exit code; fails with the process's stderr if it does not exit in time. */
    public int awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process did not exit within " + timeout + "; stderr:\n" + tail(stderr()));
        }
        return process.exitValue();
    }

    /** Waits until a line of stderr matches; fails if the process exits first or time runs out. */
    public String awaitStderrLine(Predicate<String> matches, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : stderr().lines().toList()) {
                if (matches.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the process exited with " + process.exitValue() + " first; stderr:\n"
                        + tail(stderr()));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such stderr line within " + timeout + "; stderr:\n" + tail(stderr()));
    }

    /** The last 60 lines of a text, for failure messages. */
    public static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
