package io.streamsgd.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.stream.ModelStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The demo's two outputs: the live status line (stderr, each second) and the JSON summary (the
 * last stdout line). Pure formatting over model statuses, no I/O.
 */
final class DemoReport {
    private static final JsonFactory JSON = new JsonFactory();

    /** What one model looked like at the previous status line, for per-second rates. */
    private final Map<String, ModelStatus> previous = new LinkedHashMap<>();
    private long previousNanos;

    /**
     * One status line: produced count, then per model events/s over the last interval, the mean
     * loss of that interval, non-zero weights at the last snapshot and snapshot version.
     */
    String statusLine(long produced, long total, Map<String, ModelStatus> statuses, long nowNanos) {
        double seconds = previousNanos == 0 ? Double.NaN : (nowNanos - previousNanos) / 1e9;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "produced %,d/%,d", produced, total));
        statuses.forEach((model, s) -> {
            ModelStatus before = previous.get(model);
            long events = s.trained() + s.predicted();
            long eventsBefore = before == null ? 0 : before.trained() + before.predicted();
            long trainedDelta = s.trained() - (before == null ? 0 : before.trained());
            double lossDelta = s.lossSum() - (before == null ? 0.0 : before.lossSum());
            double rate = Double.isNaN(seconds) ? Double.NaN : (events - eventsBefore) / seconds;
            b.append(String.format(Locale.ROOT, " | %s: %,d ev %s ev/s loss %s nnz %,d v%d", model, events,
                    Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%,.0f", rate),
                    trainedDelta > 0 ? String.format(Locale.ROOT, "%.4f", lossDelta / trainedDelta) : "-",
                    s.nonzeros(), s.version()));
            previous.put(model, s);
        });
        previousNanos = nowNanos;
        return b.toString();
    }

    /**
     * The summary: {@code {"models":{"<name>":{"events","meanLoss","nonzeros","version",
     * "relevantFound"?}},"produced","seconds","eventsPerSecond","truth":{"features","relevant"}}}.
     * {@code events} counts the events the model processed (trained and predicted);
     * {@code meanLoss} is the progressive mean loss; {@code nonzeros} and {@code version} are
     * those of the last snapshot; {@code relevantFound} how many truly relevant features have a
     * non-zero weight in the final snapshot, when it was read.
     */
    static String summary(Map<String, ModelStatus> statuses, Map<String, ModelSnapshot> finalSnapshots,
                          Set<String> relevant, int features, long produced, double seconds) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("models");
            for (Map.Entry<String, ModelStatus> e : statuses.entrySet()) {
                ModelStatus s = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("events", s.trained() + s.predicted());
                number(g, "meanLoss", s.trained() > 0 ? s.lossSum() / s.trained() : Double.NaN);
                g.writeNumberField("nonzeros", s.nonzeros());
                g.writeNumberField("version", s.version());
                ModelSnapshot snapshot = finalSnapshots.get(e.getKey());
                if (snapshot != null) {
                    g.writeNumberField("relevantFound", relevantFound(snapshot.weights(), relevant));
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeNumberField("produced", produced);
            number(g, "seconds", Math.round(seconds * 10) / 10.0);
            number(g, "eventsPerSecond", seconds > 0 ? Math.rint(produced / seconds) : Double.NaN);
            g.writeObjectFieldStart("truth");
            g.writeNumberField("features", features);
            g.writeNumberField("relevant", relevant.size());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    static long relevantFound(List<ModelSnapshot.Weight> weights, Set<String> relevant) {
        return weights.stream().filter(w -> w.value() != 0.0 && relevant.contains(w.name())).count();
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, v);
        } else {
            g.writeNullField(field);
        }
    }
}
