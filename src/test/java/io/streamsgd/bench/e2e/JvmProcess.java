package io.streamsgd.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on this JVM's classpath: standard error goes to a log file; standard output is read
 * line by line from the start, by a thread of its own, and copied to the log, so the driver can
 * wait for a marker line and a chatty child (e.g. {@code -XX:+PrintCompilation} in
 * {@code E2E_APP_JVM_OPTIONS}) never blocks on a full pipe.
 */
final class JvmProcess implements AutoCloseable {
    /** What {@link #awaitLine} puts in its error message: the last lines read. */
    private static final int LINES_KEPT = 20;
    private static final int UNREAD_KEPT = 10_000;
    private static final String END = new String("end of output"); // compared by identity

    private final Process process;
    /** Lines not yet looked at by {@link #awaitLine}; bounded: the oldest go first (they are in the log). */
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>(UNREAD_KEPT);
    private final Deque<String> lastLines = new ArrayDeque<>();

    private JvmProcess(Process process, Path log) {
        this.process = process;
        Thread reader = new Thread(() -> copyOutput(log), "stdout of " + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static JvmProcess start(List<String> jvmOptions, String mainClass, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new JvmProcess(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    private void copyOutput(Path log) {
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer copy = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                     StandardOpenOption.CREATE)) {
            String line;
            while ((line = stdout.readLine()) != null) {
                copy.write(line);
                copy.write('\n');
                copy.flush(); // the log shows how far the child got, also when it hangs
                synchronized (lastLines) {
                    if (lastLines.size() == LINES_KEPT) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                keep(line);
            }
        } catch (IOException e) {
            // the process has gone, or the log cannot be written: awaitLine reports the end
        } finally {
            keep(END);
        }
    }

    private void keep(String line) {
        while (!unread.offer(line)) {
            unread.poll(); // nobody waits for lines that old; the log has them
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits for a standard-output line starting with {@code prefix} and returns it. */
    String awaitLine(String prefix, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            while (true) {
                String line = unread.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("process " + pid() + " did not print " + prefix + " within "
                            + timeoutSeconds + " s; its last output: " + output());
                }
                if (line == END) {
                    keep(END); // a later call ends too
                    throw new IllegalStateException("process " + pid() + " ended without printing " + prefix
                            + "; its last output: " + output());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Writes a line to the process's standard input. */
    void tell(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            // the process has gone: its exit code tells
        }
    }

    /** Waits for the process to end; returns its exit code. */
    int await(long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    private String output() {
        synchronized (lastLines) {
            return String.join(" | ", lastLines);
        }
    }

    /** SIGTERM (a controlled shutdown for the broker), then up to 60 s, then SIGKILL. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
