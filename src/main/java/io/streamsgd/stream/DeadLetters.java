package io.streamsgd.stream;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.DeadLetter;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a rejected record into a dead letter: logged, counted, and routed to its topic. */
final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final String topic;
    private final TrainerListener listener;

    DeadLetters(String topic, TrainerListener listener) {
        this.topic = topic;
        this.listener = listener;
    }

    /** The dead letter of {@code record} (its original bytes), to forward with the record's key. */
    Record<String, Out> of(Record<String, byte[]> record, Source source, String model, BadInputException e) {
        String reason = e.reason().code();
        LOG.debug("dead letter {} at {}-{}@{}: {}", reason, source.topic(), source.partition(), source.offset(),
                e.getMessage());
        listener.deadLettered(model, reason);
        DeadLetter letter = new DeadLetter(reason, e.getMessage(), model, source.topic(), source.partition(),
                source.offset(), record.timestamp(), record.value());
        return new Record<>(record.key(), new Out(topic, letter.toJson()), record.timestamp());
    }
}
