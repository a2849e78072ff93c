package io.streamsgd.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code target/streamsgd.jar}: dispatches to the subcommands. */
@Command(name = "streamsgd", mixinStandardHelpOptions = true, version = "streamsgd 0.1.0",
        description = "Online sparse linear models trained from a Kafka stream.")
public final class StreamSgd implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(LearnCommand.class, RunCommand.class, DemoCommand.class,
            BrokerCommand.class, ProduceCommand.class, TailCommand.class, ModelCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with every subcommand (usage, help, and tests that look at them all). */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new StreamSgd());
        SUBCOMMANDS.forEach(line::addSubcommand);
        return line;
    }

    /**
     * The command line for {@code args}: when they start with a subcommand's name, with that
     * subcommand alone; else with all of them. Picocli reflects over every option of every
     * subcommand it is given, which was a tenth of a second, a twentieth of a whole `learn` run
     * over 250,000 lines, spent before the first line is read.
     */
    public static CommandLine commandLine(String[] args) {
        if (args.length > 0) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                if (subcommand != CommandLine.HelpCommand.class
                        && subcommand.getAnnotation(Command.class).name().equals(args[0])) {
                    return new CommandLine(new StreamSgd()).addSubcommand(subcommand);
                }
            }
        }
        return commandLine();
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }
}
