package io.streamsgd.cli;

import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.stream.TopologyConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamsgd tail}: prints predictions as they are committed ({@code read_committed}: an
 * aborted transaction's records never show), each with the running mean loss and accuracy of its
 * model. Reads every partition without a consumer group (nothing is committed, any number of
 * tails may run), from the end unless {@code --from-beginning}. Runs until Ctrl-C or
 * {@code --max} predictions; then the last stdout line is a JSON summary per model
 * {@code {"models":{"<name>":{"predictions","trained","meanLoss","accuracy"}}}} (on stderr with
 * {@code --raw}, whose stdout is the predictions' JSON only).
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print live predictions (read_committed) with each model's running mean loss and accuracy.",
            "Line: model vVERSION id p=PREDICTION y=LABEL loss=LOSS | n=TRAINED loss MEAN acc ACCURACY"})
public final class TailCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = TopologyConfig.DEFAULT_PREDICTIONS_TOPIC,
            description = "Predictions topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest prediction rather than the newest.")
    boolean fromBeginning;

    @Option(names = "--model", paramLabel = "NAME", description = "Only this model's predictions.")
    String model;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0",
            description = "Stop after N predictions (default: ${DEFAULT-VALUE}, never).")
    long max;

    @Option(names = "--raw", description = "Print each prediction's JSON as it is, no running figures"
            + " (the summary then goes to stderr, so stdout is JSON Lines of predictions only).")
    boolean raw;

    private final Map<String, RunningMetrics> metrics = new TreeMap<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> config = client.clientProperties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, client.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "streamsgd-tail");
        CountDownLatch done = new CountDownLatch(1);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            Thread hook = new Thread(() -> {
                consumer.wakeup();
                try {
                    done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "streamsgd-tail-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
                if (partitions.isEmpty()) {
                    err.println("tail: topic " + topic + " does not exist");
                    return 1;
                }
                consumer.assign(partitions);
                if (fromBeginning) {
                    consumer.seekToBeginning(partitions);
                } else {
                    consumer.seekToEnd(partitions);
                }
                read(consumer, out, err);
            } catch (WakeupException stopped) {
                // Ctrl-C: print the summary below
            } finally {
                printSummary(raw ? err : out);
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running and returns on `done`
                }
            }
        }
        return 0;
    }

    private void read(KafkaConsumer<String, byte[]> consumer, PrintWriter out, PrintWriter err) {
        long shown = 0;
        while (max == 0 || shown < max) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                Prediction p;
                try {
                    p = PredictionJson.read(record.value());
                } catch (IOException | RuntimeException e) {
                    err.printf(Locale.ROOT, "tail: skipping a record at %d-%d that is not a prediction: %s%n",
                            record.partition(), record.offset(), e.getMessage());
                    continue;
                }
                if (model != null && !model.equals(p.model())) {
                    continue;
                }
                RunningMetrics m = metrics.computeIfAbsent(String.valueOf(p.model()), k -> new RunningMetrics());
                m.add(p);
                out.println(raw ? new String(record.value(), java.nio.charset.StandardCharsets.UTF_8) : line(p, m));
                shown++;
                if (max > 0 && shown >= max) {
                    break;
                }
            }
            out.flush();
        }
    }

    static String line(Prediction p, RunningMetrics m) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s v%d %s p=%.4f", p.model(), p.modelVersion(), p.id(), p.prediction()));
        if (p.trained()) {
            b.append(String.format(Locale.ROOT, " y=%s loss=%.4f", number(p.label()), p.loss()));
        } else {
            b.append(" (predict only)");
        }
        b.append(String.format(Locale.ROOT, " | n=%,d loss %s acc %s", m.trained(), fixed(m.meanLoss(), 5),
                fixed(m.accuracy(), 4)));
        return b.toString();
    }

    private void printSummary(PrintWriter out) {
        StringBuilder b = new StringBuilder("{\"models\":{");
        String separator = "";
        for (Map.Entry<String, RunningMetrics> e : metrics.entrySet()) {
            RunningMetrics m = e.getValue();
            b.append(separator).append('"').append(e.getKey().replace("\\", "\\\\").replace("\"", "\\\"")).append("\":{")
                    .append("\"predictions\":").append(m.predictions())
                    .append(",\"trained\":").append(m.trained())
                    .append(",\"meanLoss\":").append(json(m.meanLoss()))
                    .append(",\"accuracy\":").append(json(m.accuracy())).append('}');
            separator = ",";
        }
        out.println(b.append("}}"));
        out.flush();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String json(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }
}
