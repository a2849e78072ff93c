package io.streamsgd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BrokerCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = StreamSgd.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldDescribeItsOptionsInHelp() {
        assertThat(run("broker", "--help")).isZero();
        assertThat(out.toString()).contains("--port=PORT", "--dir=DIR", "9092");
        assertThat(out.toString()).containsPattern("\\(default:\\s+9092\\)");
    }

    @Test
    void shouldRejectAnOutOfRangePortWithoutStartingABroker() {
        assertThat(run("broker", "--port", "70000")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--port must be in [0, 65535], got 70000");
        assertThat(out.toString()).isEmpty();
    }
}
