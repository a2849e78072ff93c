package io.streamsgd.bench.e2e;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.JsonEventReader;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.learn.Features;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Application (a), the yardstick: reads each event with the service's own {@link JsonEventReader},
 * computes a stand-in margin from its features (their sum, scaled), and writes one prediction
 * with the service's own {@link PredictionJson}, keyed by event id: the same bytes in, the same
 * kind of bytes out, with no model and no state store. Rejected events are counted and dropped.
 */
final class PassThrough {
    static final String MODEL = "pass";
    static final LongAdder REJECTED = new LongAdder();

    private PassThrough() {
    }

    static Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events"))
                .process(Parse::new, Named.as("parse-and-predict"))
                .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("predictions"));
        return builder.build();
    }

    private static final class Parse extends ContextualProcessor<String, byte[], String, byte[]> {
        private final JsonEventReader reader = new JsonEventReader();
        private final Event event = new Event();

        @Override
        public void process(Record<String, byte[]> record) {
            try {
                reader.read(record.value(), event);
            } catch (BadInputException e) {
                REJECTED.increment();
                return;
            }
            Features f = event.features();
            double z = 0;
            for (int i = 0; i < f.size(); i++) {
                z += f.value(i) * 1e-3;
            }
            double p = 1.0 / (1.0 + Math.exp(-z));
            double label = event.hasLabel() ? event.label() : Double.NaN;
            double loss = event.hasLabel() ? -Math.log(label > 0.5 ? p : 1 - p) : Double.NaN;
            String id = event.id() != null ? event.id() : "none";
            Prediction prediction = new Prediction(id, MODEL, 0, z, p, label, loss, event.hasLabel());
            context().forward(record.withKey(id).withValue(PredictionJson.toBytes(prediction)));
        }
    }
}
