package io.streamsgd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code target/streamsgd.jar}: dispatches to the subcommands. */
@Command(name = "streamsgd", mixinStandardHelpOptions = true, version = "streamsgd 0.1.0",
        description = "Online sparse linear models trained from a Kafka stream.",
        subcommands = {LearnCommand.class, RunCommand.class, DemoCommand.class, BrokerCommand.class, ProduceCommand.class,
            TailCommand.class, ModelCommand.class, CommandLine.HelpCommand.class})
public final class StreamSgd implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamSgd()).execute(args));
    }
}
