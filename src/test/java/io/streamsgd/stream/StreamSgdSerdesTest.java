package io.streamsgd.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamsgd.codec.DeadLetter;
import io.streamsgd.codec.Prediction;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StreamSgdSerdesTest {
    @Test
    void predictionsShouldRoundTripExactly() {
        var serde = StreamSgdSerdes.prediction();
        Prediction p = new Prediction("e-1", "l1", 3, -0.1234567890123, 0.469, 1.0, 0.7567, true);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", p))).isEqualTo(p);
        Prediction unlabeled = new Prediction("e-2", "l1", 3, 2.5, 0.92, Double.NaN, Double.NaN, false);
        Prediction back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", unlabeled));
        assertThat(back.label()).isNaN();
        assertThat(back.trained()).isFalse();
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", "nope".getBytes()))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void deadLettersShouldRoundTripWithTheOriginalBytes() {
        var serde = StreamSgdSerdes.deadLetter();
        byte[] original = {(byte) 0xFF, 0, '{'};
        DeadLetter d = new DeadLetter("invalid_utf8", "byte 0", null, "streamsgd.events", 2, 99, 5, original);
        DeadLetter back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", d));
        assertThat(back.reason()).isEqualTo("invalid_utf8");
        assertThat(back.value()).isEqualTo(original);
        assertThat(back.offset()).isEqualTo(99);
        assertThat(back.model()).isNull();
    }
}
