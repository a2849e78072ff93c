package io.streamsgd.cli;

import io.streamsgd.codec.SnapshotJson;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.stream.SnapshotReader;
import io.streamsgd.stream.TopologyConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd model}: the newest complete snapshot of a model, read from the models topic
 * ({@link SnapshotReader}: read_committed, parts reassembled, incomplete versions ignored).
 * Prints version, events, time, non-zeros, norms, bias, hyperparameters and the top weights by
 * magnitude; {@code --output FILE} writes the whole snapshot in the JSON form of
 * {@code learn --snapshot-out} ({@link SnapshotJson}). Exit code 1 if the topic holds no complete
 * snapshot of the model.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Print the newest complete snapshot of a model: version, events, nonzeros, top weights by magnitude.",
            "--output writes the whole snapshot as JSON, the same form as learn --snapshot-out."})
public final class ModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = TopologyConfig.DEFAULT_MODELS_TOPIC,
            description = "Models topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--name", paramLabel = "MODEL", required = true, description = "The model's name.")
    String name;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20",
            description = "Show the N largest weights by magnitude (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the whole snapshot as JSON to this file.")
    Path output;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest time to read the topic (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws IOException {
        if (top < 0) {
            throw new ParameterException(spec.commandLine(), "--top must be >= 0, got " + top);
        }
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be >= 1, got " + timeoutSeconds);
        }
        Optional<ModelSnapshot> found = SnapshotReader.latest(client.bootstrapServers(), client.clientProperties(),
                topic, name, Duration.ofSeconds(timeoutSeconds));
        if (found.isEmpty()) {
            spec.commandLine().getErr().println("model: no complete snapshot of model '" + name + "' in " + topic);
            return 1;
        }
        ModelSnapshot s = found.get();
        if (output != null) {
            try (OutputStream out = Files.newOutputStream(output)) {
                SnapshotJson.write(s, out);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(describe(s, top));
        out.flush();
        return 0;
    }

    /** The human-readable description printed by the command. */
    static String describe(ModelSnapshot s, int top) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "model %s  version %d  events %,d  taken %s%n", s.model(), s.version(),
                s.events(), Instant.ofEpochMilli(s.timestampMillis())));
        b.append(String.format(Locale.ROOT, "nonzeros %,d  bias %+.6f  l1Norm %.6f  l2Norm %.6f%n", s.nonzeros(), s.bias(),
                s.l1Norm(), s.l2Norm()));
        b.append("hyperparameters ").append(s.hyperparameters().entrySet().stream()
                .map(Map.Entry::toString).collect(Collectors.joining(" "))).append(System.lineSeparator());
        List<ModelSnapshot.Weight> largest = s.weights().stream()
                .sorted(Comparator.comparingDouble((ModelSnapshot.Weight w) -> -Math.abs(w.value()))
                        .thenComparing(ModelCommand::nameOf))
                .limit(top).toList();
        if (!largest.isEmpty()) {
            b.append(String.format(Locale.ROOT, "top %d weights by magnitude:%n", largest.size()));
            int rank = 1;
            for (ModelSnapshot.Weight w : largest) {
                b.append(String.format(Locale.ROOT, "%5d  %+.8f  %s%n", rank++, w.value(), nameOf(w)));
            }
        }
        return b.toString();
    }

    /** A weight's name as the snapshot JSON writes it: its feature name, or {@code #slot} when unknown. */
    private static String nameOf(ModelSnapshot.Weight w) {
        return w.name() != null ? w.name() : "#" + w.slot();
    }
}
