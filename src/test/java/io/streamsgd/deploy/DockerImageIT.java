package io.streamsgd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the image build needs from {@code mvn package}: the Dockerfile's COPY sources exist, and
 * the packaged jar starts and offers the command the image runs. Failsafe runs this in
 * {@code verify}, after the jar is built (no Docker engine here to build the image itself).
 */
class DockerImageIT {
    /** Set by failsafe (pom.xml); the default serves a run from an IDE after packaging. */
    private static final Path JAR = Path.of(System.getProperty("streamsgd.jar", Repo.path("target/streamsgd.jar").toString()));

    @Test
    void everyCopySourceShouldExistAfterPackage() {
        List<String> sources = new ArrayList<>();
        for (Map.Entry<List<String>, String> copy : Dockerfile.parse(Repo.read("deploy/Dockerfile")).copies()) {
            for (String source : copy.getKey()) {
                assertThat(Repo.path(source)).as("COPY " + source + " (build context: repository root)").isRegularFile();
                sources.add(source);
            }
        }
        assertThat(sources).contains("target/streamsgd.jar");
        assertThat(Repo.path("target/streamsgd.jar")).isEqualTo(JAR.toAbsolutePath());
    }

    @Test
    void packagedJarShouldStartAndListTheCommandsTheImageRuns() {
        // java -jar exercises the manifest's Main-Class and the shaded dependencies, unlike the
        // class-path parse in DeployFilesTest.
        Run help = java("-jar", JAR.toString(), "--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: streamsgd");
        List<String> commands = subcommandsListedIn(help.output());
        String imageCommand = Dockerfile.parse(Repo.read("deploy/Dockerfile")).last("CMD").execForm().get(0);
        assertThat(commands).as("commands listed by --help").contains(imageCommand, "produce");
    }

    /** Names under picocli's "Commands:" heading: one per line, indented by two spaces. */
    private static List<String> subcommandsListedIn(String usage) {
        List<String> names = new ArrayList<>();
        boolean inCommands = false;
        for (String line : usage.lines().toList()) {
            if (line.startsWith("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.startsWith("  ") && !line.startsWith("   ")) {
                names.add(line.strip().split("[\\s,]+")[0]);
            } else if (inCommands && !line.isBlank() && !line.startsWith(" ")) {
                inCommands = false;
            }
        }
        return names;
    }

    private record Run(int exitCode, String output) {}

    private static Run java(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
