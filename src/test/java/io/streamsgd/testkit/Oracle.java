package io.streamsgd.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamsgd.app.ServiceConfig;
import io.streamsgd.codec.EventFormat;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.learn.LearnerConfig;
import io.streamsgd.learn.ModelSnapshot;
import io.streamsgd.offline.FileTrainer;
import io.streamsgd.stream.ModelSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What {@code streamsgd learn} makes of the same events in the same order: the reference the
 * service's models must equal bit for bit. Runs {@link FileTrainer} in-process, with the learner
 * configuration the service itself builds from the same properties (so no hyperparameter can
 * differ between the two).
 */
public final class Oracle {
    private Oracle() {
    }

    /** A model's learner configuration exactly as the service builds it from {@code serviceConfig}. */
    public static LearnerConfig learnerConfig(Properties serviceConfig, String model) {
        ModelSpec spec = ServiceConfig.of(serviceConfig, "test", Map.of()).topology().models().get(model);
        if (spec == null) {
            throw new IllegalArgumentException("no model " + model + " in " + serviceConfig);
        }
        return spec.learner();
    }

    /**
     * The sealed model and the progressive predictions (by event id) of {@code learn} over
     * {@code events} (JSON, one event each, no line breaks). A line that {@code learn} rejects
     * fails the call: the oracle is given good events only.
     */
    public static Learned learn(String model, LearnerConfig config, List<String> events) {
        FileTrainer trainer = new FileTrainer(model, config);
        StringWriter predictions = new StringWriter();
        try (JsonGenerator g = PredictionJson.lineWriter(predictions)) {
            FileTrainer.Result result = trainer.run(new BufferedReader(new StringReader(String.join("\n", events))),
                    EventFormat.JSONL.newLineReader(), g,
                    (line, reason) -> {
                        throw new AssertionError("learn rejected line " + line + " of the oracle's input: " + reason);
                    }, null, Long.MAX_VALUE);
            if (result.events() != events.size()) {
                throw new AssertionError("learn read " + result.events() + " events of " + events.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Prediction> byId = new HashMap<>();
        predictions.toString().lines().filter(l -> !l.isBlank()).forEach(line -> {
            try {
                Prediction p = PredictionJson.read(line.getBytes(StandardCharsets.UTF_8));
                byId.put(p.id(), p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new Learned(trainer.snapshot(0), byId);
    }

    /** The result of {@link #learn}: the sealed model and each event's prediction. */
    public record Learned(ModelSnapshot snapshot, Map<String, Prediction> predictions) {
    }

    /** Every weight by feature name. */
    public static Map<String, Double> weights(ModelSnapshot s) {
        Map<String, Double> m = new TreeMap<>();
        s.weights().forEach(w -> m.put(w.name(), w.value()));
        return m;
    }

    /**
     * Bit for bit: the same events count, the same bias bits, the same feature names with the same
     * weight bits ({@code Double.doubleToRawLongBits}), and every value finite.
     */
    public static void assertBitIdentical(ModelSnapshot actual, ModelSnapshot expected, String what) {
        assertThat(actual.events()).as("%s: events trained", what).isEqualTo(expected.events());
        assertThat(Double.doubleToRawLongBits(actual.bias()))
                .as("%s: bias %s vs %s", what, actual.bias(), expected.bias())
                .isEqualTo(Double.doubleToRawLongBits(expected.bias()));
        assertThat(Double.isFinite(actual.bias())).as("%s: finite bias", what).isTrue();
        Map<String, Double> a = weights(actual);
        Map<String, Double> e = weights(expected);
        assertThat(a.keySet()).as("%s: the same non-zero features", what).isEqualTo(e.keySet());
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, Double> entry : e.entrySet()) {
            double got = a.get(entry.getKey());
            if (Double.doubleToRawLongBits(got) != Double.doubleToRawLongBits(entry.getValue())) {
                differing.add(entry.getKey() + ": " + got + " vs " + entry.getValue());
            }
            if (!Double.isFinite(got)) {
                differing.add(entry.getKey() + " is not finite: " + got);
            }
        }
        assertThat(differing).as("%s: weights differing from the reference (of %d)", what, e.size()).isEmpty();
        assertThat(actual.nonzeros()).as("%s: nonzeros", what).isEqualTo(expected.nonzeros());
    }

    /** Bit-for-bit equal margins and losses, for the same event id. */
    public static void assertSamePrediction(Prediction actual, Prediction expected) {
        if (Double.doubleToRawLongBits(actual.margin()) != Double.doubleToRawLongBits(expected.margin())
                || Double.doubleToRawLongBits(actual.loss()) != Double.doubleToRawLongBits(expected.loss())
                || actual.trained() != expected.trained()) {
            throw new AssertionError("prediction of " + actual.id() + " for " + actual.model() + " differs from learn's: "
                    + actual + " vs " + expected);
        }
    }
}
