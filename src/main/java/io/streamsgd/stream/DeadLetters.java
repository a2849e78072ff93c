package io.streamsgd.stream;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.DeadLetter;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a rejected record into a dead letter: logged, counted, and routed to its topic. */
final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /**
     * Longest record key a dead letter keeps. Keys are free-form and unchecked (only values have a
     * size limit): a longer key would make the dead letter too large to send, fail the stream
     * thread and make the record a poison pill. The dead letter then has no key; its source
     * topic, partition and offset still point at the original.
     */
    static final int MAX_KEY_CHARS = 16 * 1024;

    private final String topic;
    private final TrainerListener listener;

    DeadLetters(String topic, TrainerListener listener) {
        this.topic = topic;
        this.listener = listener;
    }

    /** The dead letter of {@code record} (its original bytes), to forward with the record's key (if not oversized). */
    Record<String, Out> of(Record<String, byte[]> record, Source source, String model, BadInputException e) {
        String reason = e.reason().code();
        LOG.debug("dead letter {} at {}-{}@{}: {}", reason, source.topic(), source.partition(), source.offset(),
                e.getMessage());
        listener.deadLettered(model, reason);
        DeadLetter letter = new DeadLetter(reason, e.getMessage(), model, source.topic(), source.partition(),
                source.offset(), record.timestamp(), record.value());
        String key = record.key() != null && record.key().length() > MAX_KEY_CHARS ? null : record.key();
        return new Record<>(key, new Out(topic, letter.toJson()), record.timestamp());
    }
}
