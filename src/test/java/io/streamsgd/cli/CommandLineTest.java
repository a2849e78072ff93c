package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers --help, and usage errors exit 2 with a message, before touching Kafka. */
class CommandLineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return StreamSgd.commandLine(args).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void aSubcommandShouldBeBuiltAloneAndEverythingElseWithAll() {
        var all = StreamSgd.commandLine().getSubcommands().keySet();
        assertThat(all).containsExactly("learn", "run", "demo", "broker", "produce", "tail", "model", "help");
        for (String name : all) {
            var built = StreamSgd.commandLine(new String[] {name, "--help"}).getSubcommands().keySet();
            assertThat(built).as(name).isEqualTo(name.equals("help") ? all : java.util.Set.of(name));
        }
        assertThat(StreamSgd.commandLine(new String[] {"--version"}).getSubcommands().keySet()).isEqualTo(all);
        assertThat(StreamSgd.commandLine(new String[] {"lern"}).getSubcommands().keySet()).isEqualTo(all);
        assertThat(StreamSgd.commandLine(new String[0]).getSubcommands().keySet()).isEqualTo(all);
        assertThat(execute("lern")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument", "lern", "learn");
    }

    @Test
    void everyCommandShouldDocumentItsOptions() {
        Map<String, String[]> options = Map.of(
                "run", new String[] {"--config", "--print-config-reference"},
                "demo", new String[] {"--events", "--rate", "--seed", "--metrics-port", "--keep-running"},
                "produce", new String[] {"--bootstrap-servers", "--topic", "--file", "--synthetic", "--format", "--rate",
                    "--model", "--client-config"},
                "tail", new String[] {"--bootstrap-servers", "--topic", "--from-beginning", "--max", "--model"},
                "model", new String[] {"--bootstrap-servers", "--topic", "--name", "--top", "--output"},
                "broker", new String[] {"--port", "--dir"},
                "learn", new String[] {"--input", "--l1", "--snapshot-out"});
        options.forEach((command, names) -> {
            out.getBuffer().setLength(0);
            assertThat(execute(command, "--help")).as(command).isZero();
            assertThat(out.toString()).as(command).startsWith("Usage: streamsgd " + command).contains(names);
        });
        out.getBuffer().setLength(0);
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("run", "demo", "produce", "tail", "model", "broker", "learn");
    }

    @Test
    void produceNeedsExactlyOneSource() {
        assertThat(execute("produce", "--topic", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("--file", "--synthetic");
        err.getBuffer().setLength(0);
        assertThat(execute("produce", "--file", "x.jsonl", "--synthetic", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void modelNeedsAName() {
        assertThat(execute("model")).isEqualTo(2);
        assertThat(err.toString()).contains("--name");
    }

    @Test
    void demoShouldRefuseABadPortOrCount() {
        assertThat(execute("demo", "--events", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--events must be >= 1");
        assertThat(execute("demo", "--metrics-port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--metrics-port must be in [0, 65535]");
    }

    @Test
    void runShouldPrintTheReferenceAndRefuseABadEnvironment() {
        assertThat(execute("run", "--print-config-reference")).isZero();
        assertThat(out.toString()).contains("| `bootstrap.servers` |", "| `model.<name>.l1` |");
        RunCommand run = new RunCommand();
        run.environment = Map.of("STREAMSGD_METRICS_PORT", "-1");
        int code = new CommandLine(run).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute();
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("run: invalid value '-1' for metrics.port (environment variable "
                + "STREAMSGD_METRICS_PORT): expected an integer in [0, 65535]");
    }
}
