package io.streamsgd.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.JsonEventReader;
import io.streamsgd.codec.LibSvmReader;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse throughput of one ~30-feature event, warm (same names every time, as in a stream with a
 * stable feature set). Run from the test classpath:
 * {@code java -cp target/test-classes:target/classes:<deps> org.openjdk.jmh.Main EventParseBenchmark -prof gc}.
 *
 * <ul>
 *   <li>{@code mixed}: 20 numeric, 5 boolean and 5 categorical features, with id, model, label, weight;
 *   <li>{@code numeric}: 30 numeric features (no categorical strings to build);
 *   <li>{@code vocabulary}: 30 numeric features named from a vocabulary of 1,000,000 (a pool of
 *       4,096 records cycled), as in text or id features: most names are new to the parser.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventParseBenchmark {
    @Param({"mixed", "numeric", "vocabulary"})
    public String record;

    private byte[][] pool;
    private int next;
    private byte[] json;
    private String libSvm;
    private final JsonEventReader jsonReader = new JsonEventReader();
    private final LibSvmReader libSvmReader = new LibSvmReader();
    private final Event event = new Event();

    @Setup
    public void setUp() {
        Random random = new Random(1);
        if (record.equals("vocabulary")) {
            pool = new byte[4096][];
            for (int r = 0; r < pool.length; r++) {
                StringBuilder v = new StringBuilder("{\"id\":\"e-").append(r).append("\",\"label\":1,\"features\":{");
                for (int i = 0; i < 30; i++) {
                    v.append(i > 0 ? "," : "").append("\"w").append(random.nextInt(1_000_000 / 30) * 30 + i).append("\":")
                            .append(String.format(Locale.ROOT, "%.5g", random.nextDouble()));
                }
                pool[r] = v.append("}}").toString().getBytes(UTF_8);
            }
        }
        StringBuilder j = new StringBuilder("{\"id\":\"e-000042\",\"model\":\"ctr\",\"label\":1,\"weight\":1.0,\"features\":{");
        StringBuilder l = new StringBuilder("1");
        for (int i = 0; i < 30; i++) {
            if (i > 0) {
                j.append(',');
            }
            String value = String.format(Locale.ROOT, "%.5g", random.nextDouble() * 100);
            l.append(' ').append(i + 1).append(':').append(value);
            boolean numeric = record.equals("numeric") || i < 20;
            if (numeric) {
                j.append("\"feature_").append(i).append("\":").append(value);
            } else if (i < 25) {
                j.append("\"flag_").append(i).append("\":").append(i % 2 == 0);
            } else {
                j.append("\"cat_").append(i).append("\":\"value-").append(random.nextInt(10)).append('"');
            }
        }
        json = j.append("}}").toString().getBytes(UTF_8);
        libSvm = l.toString();
    }

    @Benchmark
    public int json() throws BadInputException {
        jsonReader.read(pool == null ? json : pool[next++ & (pool.length - 1)], event);
        return event.features().size();
    }

    @Benchmark
    public int libSvm() throws BadInputException {
        libSvmReader.parse(libSvm, event);
        return event.features().size();
    }
}
