package io.streamsgd.stream;

import io.streamsgd.codec.DeadLetter;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Kafka serdes for the JSON records streamsgd writes, for Java clients of its topics:
 * predictions ({@code streamsgd.predictions}) and dead letters ({@code streamsgd.dead-letters}).
 * Snapshot parts are read with {@link SnapshotReader}. Keys are strings (event id, model name).
 */
public final class StreamSgdSerdes {
    private StreamSgdSerdes() {
    }

    public static Serde<Prediction> prediction() {
        return Serdes.serdeFrom(
                (topic, p) -> p == null ? null : PredictionJson.toBytes(p),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        return PredictionJson.read(bytes);
                    } catch (IOException e) {
                        throw new SerializationException("not a prediction record of " + topic, e);
                    }
                });
    }

    public static Serde<DeadLetter> deadLetter() {
        return Serdes.serdeFrom(
                (topic, d) -> d == null ? null : d.toJson(),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        return DeadLetter.fromJson(bytes);
                    } catch (IOException e) {
                        throw new SerializationException("not a dead-letter record of " + topic, e);
                    }
                });
    }
}
