package io.streamsgd.stream;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.JsonEventReader;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first hop of unkeyed input: validates each event, dead-letters bad ones, and emits one
 * record per target model keyed by the model's name (to the repartition topic, so that every
 * event of a model reaches the one task that owns it, in order). The value is the original bytes;
 * the original topic/partition/offset travel in a header.
 */
final class RouterProcessor extends ContextualProcessor<String, byte[], String, Out> {
    private final JsonEventReader reader;
    private final Targets targets;
    private final DeadLetters deadLetters;
    private final Event event = new Event();

    private RouterProcessor(TopologyConfig config, TrainerListener listener) {
        this.reader = new JsonEventReader(config.limits());
        this.targets = new Targets(config);
        this.deadLetters = new DeadLetters(config.deadLettersTopic(), listener);
    }

    static ProcessorSupplier<String, byte[], String, Out> supplier(TopologyConfig config, TrainerListener listener) {
        return () -> new RouterProcessor(config, listener);
    }

    @Override
    public void init(ProcessorContext<String, Out> context) {
        super.init(context);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Source source = Source.of(record.headers(), context().recordMetadata().orElse(null));
        List<String> models;
        try {
            // A null value (tombstone) is null_value; the reader resets the event first, so that the dead
            // letter cannot name the model of the record before it.
            reader.read(record.value(), event);
            models = targets.of(null, event);
        } catch (BadInputException e) {
            context().forward(deadLetters.of(record, source, event.model(), e));
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(Source.HEADER, source.toHeader());
        for (String model : models) {
            context().forward(new Record<>(model, new Out(null, record.value()), record.timestamp(), headers));
        }
    }
}
