package io.streamsgd.stream;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.Event;
import io.streamsgd.codec.JsonEventReader;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.codec.SnapshotParts;
import io.streamsgd.learn.ModelSnapshot;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Trains and predicts, per event and target model, with each model in the task's state stores:
 * for a labeled event it predicts first (progressive validation), emits the prediction, then
 * trains; an unlabeled one is only predicted. Snapshots every N events (checked after each event)
 * and every T milliseconds (wall-clock punctuation), and when the {@link SnapshotTrigger} asks.
 * Bad input never throws: it becomes a dead letter and the next event is processed as usual.
 */
final class TrainerProcessor extends ContextualProcessor<String, byte[], String, Out> {
    private final TopologyConfig config;
    private final TrainerListener listener;
    private final SnapshotTrigger trigger;
    private final CommitHooks commitHooks;
    private final Runnable flushModels = this::flushModels;
    private final JsonEventReader reader;
    private final Targets targets;
    private final DeadLetters deadLetters;
    private final Event event;
    private final Map<String, ModelRuntime> models = new LinkedHashMap<>();
    private KeyValueStore<Bytes, byte[]> store;

    private TrainerProcessor(TopologyConfig config, TrainerListener listener, SnapshotTrigger trigger,
                             CommitHooks commitHooks) {
        this.config = config;
        this.listener = listener;
        this.trigger = trigger;
        this.commitHooks = commitHooks;
        this.reader = new JsonEventReader(config.limits());
        this.event = new Event(config.eventHasher());
        this.targets = new Targets(config);
        this.deadLetters = new DeadLetters(config.deadLettersTopic(), listener);
    }

    /** A supplier that declares the stores it needs (a new processor per task). */
    static ProcessorSupplier<String, byte[], String, Out> supplier(TopologyConfig config, TrainerListener listener,
                                                                  SnapshotTrigger trigger) {
        CommitHooks commitHooks = new CommitHooks();
        return new ProcessorSupplier<>() {
            @Override
            public TrainerProcessor get() {
                return new TrainerProcessor(config, listener, trigger, commitHooks);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Stores.builders(config.store(), commitHooks);
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Out> context) {
        super.init(context);
        store = context.getStateStore(Stores.MODELS);
        // Kafka Streams may initialize the same processor again when it revives a task after its
        // state was rolled back: nothing from before may survive.
        models.clear();
        for (ModelSpec spec : config.models().values()) {
            ModelRuntime runtime = ModelRuntime.loadIfPresent(spec, store, context.currentSystemTimeMs());
            if (runtime != null) {
                models.put(spec.name(), runtime);
                listener.status(runtime.status());
            }
        }
        trigger.register(this);
        commitHooks.register(context.taskId(), flushModels);
        context.schedule(Duration.ofMillis(punctuationMillis()), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    /** Often enough for the shortest snapshot interval and for shutdown requests. */
    private long punctuationMillis() {
        long shortest = 1000;
        for (ModelSpec spec : config.models().values()) {
            if (spec.snapshotIntervalMs() > 0) {
                shortest = Math.min(shortest, spec.snapshotIntervalMs());
            }
        }
        return Math.max(50, Math.min(shortest, 200));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long start = System.nanoTime();
        Source source = Source.of(record.headers(), context().recordMetadata().orElse(null));
        List<String> targeted;
        try {
            // A null value (tombstone) is null_value; the reader resets the event first, so that the dead
            // letter cannot name the model of the record before it.
            reader.read(record.value(), event);
            targeted = targets.of(record.key(), event);
        } catch (BadInputException e) {
            context().forward(deadLetters.of(record, source, event.model(), e).withHeaders(new RecordHeaders()));
            return;
        }
        String id = event.id() != null ? event.id() : source.derivedId();
        for (String name : targeted) {
            ModelRuntime model = models.computeIfAbsent(name,
                    n -> ModelRuntime.load(config.models().get(n), store, context().currentSystemTimeMs()));
            Prediction prediction;
            try {
                prediction = model.handle(event, id);
                context().forward(new Record<>(id, new Out(config.predictionsTopic(), PredictionJson.toBytes(prediction)),
                        record.timestamp(), new RecordHeaders()));
            } catch (BadInputException e) {
                context().forward(deadLetters.of(record, source, name, e).withHeaders(new RecordHeaders()));
                continue;
            }
            long snapshotEvents = model.spec().snapshotEvents();
            if (snapshotEvents > 0 && model.eventsSinceSnapshot() >= snapshotEvents) {
                snapshot(model, record.timestamp());
            }
            listener.predicted(name, prediction.trained(), prediction.loss(), System.nanoTime() - start);
            listener.status(model.quickStatus());
        }
    }

    /** Each model's changes since the last commit go to the store, inside the commit's transaction. */
    private void flushModels() {
        for (ModelRuntime model : models.values()) {
            model.flush();
        }
    }

    private void punctuate(long now) {
        long request = trigger.pending(this);
        boolean checkpoint = request > 0 && trigger.checkpointPending(this);
        for (ModelRuntime model : models.values()) {
            if (request > 0 || model.snapshotDue(now)) {
                snapshot(model, now);
            }
            if (checkpoint) {
                model.checkpoint();
            }
        }
        if (request > 0) {
            trigger.handled(this, request);
        }
    }

    private void snapshot(ModelRuntime model, long timestamp) {
        long start = System.nanoTime();
        ModelSnapshot s = model.snapshot(context().currentSystemTimeMs());
        long bytes = 0;
        for (byte[] part : SnapshotParts.split(s, config.maxSnapshotPartBytes())) {
            bytes += part.length;
            context().forward(new Record<>(s.model(), new Out(config.modelsTopic(), part), timestamp, new RecordHeaders()));
        }
        listener.snapshotted(model.status(), bytes, System.nanoTime() - start);
    }

    @Override
    public void close() {
        commitHooks.unregister(context().taskId(), flushModels);
        trigger.unregister(this);
    }
}
