package io.streamsgd.cli;

import io.streamsgd.app.EventSender;
import io.streamsgd.app.RateLimiter;
import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.EventFormat;
import io.streamsgd.codec.EventJson;
import io.streamsgd.codec.JsonEventReader;
import io.streamsgd.codec.LineReader;
import io.streamsgd.codec.ReadLimits;
import io.streamsgd.codec.SyntheticEvents;
import io.streamsgd.stream.TopologyConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd produce}: replays a file of events, or synthetic events, into the input topic.
 *
 * <p>JSON Lines are sent as they are, one record per non-blank line (the service validates them;
 * bad ones become dead letters), unless {@code --model} asks to rewrite them. LibSVM, Vowpal
 * Wabbit and CSV lines are parsed and converted to the JSON event format ({@link EventJson}); a
 * line that does not parse is reported on stderr with its number and skipped. With
 * {@code --model M} every event gets {@code "model":"M"} and the record key {@code M} (so a topic
 * keyed by model can use {@code input.keyed-by-model}); otherwise records have no key.
 *
 * <p>A progress bar goes to stderr; the last stdout line is a JSON summary
 * {@code {"sent","badLines","failed","seconds","eventsPerSecond"}}. Exit code 0 when every record
 * was acknowledged, 1 when some could not be sent or the input could not be read.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Replay a JSONL / LibSVM / VW / CSV file, or synthetic events, into the events topic.",
            "Non-JSON formats are converted to the JSON event format. The last stdout line is a JSON summary."})
public final class ProduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = TopologyConfig.DEFAULT_EVENTS_TOPIC,
            description = "Topic to produce to (default: ${DEFAULT-VALUE}).")
    String topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--file", paramLabel = "FILE", required = true, description = "Events file, or - for stdin.")
        String file;

        @Option(names = "--synthetic", paramLabel = "N", required = true,
                description = "Generate N synthetic events with a known sparse truth (as the demo does).")
        Long synthetic;
    }

    @Option(names = "--format", description = "jsonl, libsvm, vw or csv (default: from the file extension; jsonl for stdin).")
    String format;

    @Option(names = "--label-column", defaultValue = "label", description = "CSV: the label column (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--model", paramLabel = "NAME", description = "Set this model on every event and use it as the record key.")
    String model;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of --synthetic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--unlabeled-every", paramLabel = "K", defaultValue = "0",
            description = "With --synthetic: every K-th event has no label, predict only (default: ${DEFAULT-VALUE}, none).")
    int unlabeledEvery;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "At most R events per second; 0 for no limit (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--max-features", defaultValue = "" + ReadLimits.DEFAULT_MAX_FEATURES,
            description = "Largest number of features per converted event (default: ${DEFAULT-VALUE}).")
    int maxFeatures;

    private long badLines;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (source.synthetic != null && source.synthetic < 0) {
            throw new ParameterException(spec.commandLine(), "--synthetic must be >= 0, got " + source.synthetic);
        }
        if (unlabeledEvery < 0) {
            throw new ParameterException(spec.commandLine(), "--unlabeled-every must be >= 0, got " + unlabeledEvery);
        }
        ProgressBar progress = new ProgressBar(err, System.console() != null);
        RateLimiter limiter = new RateLimiter(rate);
        long begin = System.nanoTime();
        long sent;
        EventSender sender;
        try (EventSender s = new EventSender(client.bootstrapServers(), topic, client.clientProperties())) {
            sender = s;
            if (source.synthetic != null) {
                sent = sendSynthetic(s, limiter, progress);
            } else {
                try {
                    sent = sendFile(s, limiter, progress, err);
                } catch (IllegalArgumentException e) { // the format cannot be told or is unknown
                    err.println("produce: " + e.getMessage());
                    return 2;
                } catch (NoSuchFileException e) {
                    err.println("produce: cannot read " + e.getFile() + ": no such file");
                    return 1;
                }
            }
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        if (sender.failed() > 0) {
            err.println("produce: " + sender.failed() + " records were not sent: " + sender.firstError());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT,
                "{\"sent\":%d,\"badLines\":%d,\"failed\":%d,\"seconds\":%.1f,\"eventsPerSecond\":%.0f}",
                sender.acknowledged(), badLines, sender.failed(), seconds, seconds > 0 ? sent / seconds : 0.0));
        out.flush();
        return sender.failed() > 0 ? 1 : 0;
    }

    private long sendSynthetic(EventSender sender, RateLimiter limiter, ProgressBar progress) throws InterruptedException {
        SyntheticEvents events = new SyntheticEvents(seed, SyntheticEvents.Shape.DEFAULT.withUnlabeledEvery(unlabeledEvery));
        long n = source.synthetic;
        JsonEventReader reader = new JsonEventReader();
        Event event = new Event();
        EventJson writer = new EventJson();
        for (long i = 0; i < n; i++) {
            limiter.acquire();
            byte[] json = events.next();
            if (model != null) {
                try {
                    reader.read(json, event);
                } catch (BadInputException e) {
                    throw new IllegalStateException("a synthetic event does not parse: " + e.getMessage(), e);
                }
                json = writer.toBytes(event, model);
            }
            sender.send(model, json);
            progress.update((i + 1) / (double) n, i + 1);
        }
        progress.finish(1.0, n);
        return n;
    }

    private long sendFile(EventSender sender, RateLimiter limiter, ProgressBar progress, PrintWriter err)
            throws IOException, InterruptedException {
        boolean stdin = source.file.equals("-");
        EventFormat eventFormat = format != null ? EventFormat.fromCode(format)
                : stdin ? EventFormat.JSONL : EventFormat.fromFileName(source.file);
        long size = stdin ? -1 : Files.size(Path.of(source.file));
        boolean passThrough = eventFormat == EventFormat.JSONL && model == null;
        LineReader reader = eventFormat.newLineReader(
                new ReadLimits(ReadLimits.DEFAULT_MAX_RECORD_BYTES, maxFeatures, ReadLimits.DEFAULT_MAX_DEPTH), labelColumn);
        Event event = new Event();
        EventJson json = new EventJson();
        long sent = 0;
        long lineNumber = 0;
        long chars = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                stdin ? System.in : Files.newInputStream(Path.of(source.file)), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                chars += line.length() + 1;
                byte[] value;
                if (passThrough) {
                    if (line.isBlank()) {
                        continue;
                    }
                    value = line.getBytes(StandardCharsets.UTF_8);
                } else {
                    try {
                        if (!reader.parse(line, event)) {
                            continue;
                        }
                    } catch (BadInputException e) {
                        badLines++;
                        err.printf(Locale.ROOT, "line %d: %s: %s%n", lineNumber, e.reason().code(), e.getMessage());
                        continue;
                    }
                    value = json.toBytes(event, model);
                }
                limiter.acquire();
                sender.send(model, value);
                sent++;
                // Characters approximate bytes: exact for ASCII, close enough for a progress bar.
                progress.update(size > 0 ? Math.min(1.0, chars / (double) size) : Double.NaN, sent);
            }
        }
        progress.finish(size > 0 ? 1.0 : Double.NaN, sent);
        return sent;
    }
}
