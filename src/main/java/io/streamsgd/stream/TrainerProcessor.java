package io.streamsgd.stream;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.JsonEventReader;
import io.streamsgd.codec.Prediction;
import io.streamsgd.codec.PredictionJson;
import io.streamsgd.codec.SnapshotParts;
import io.streamsgd.learn.ModelSnapshot;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Trains and predicts, per event and target model, with each model in the task's state stores:
 * for a labeled event it predicts first (progressive validation), emits the prediction, then
 * trains; an unlabeled one is only predicted. Snapshots every N events (checked after each event)
 * and every T milliseconds (wall-clock punctuation), and when the {@link SnapshotTrigger} asks.
 * Bad input never throws: it becomes a dead letter and the next event is processed as usual.
 *
 * <p>Each event is read into a {@link TrainingThread.Job}, then trained ({@link #train}) and its
 * records forwarded ({@link #emit}): at once on the stream thread, or, with
 * {@link TopologyConfig#trainingThread}, trained on the models' own thread while the stream thread
 * reads the next events, and forwarded in order when done, at the latest in the commit's store
 * flush, before the commit's deltas are written.
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
    /** The job of an event when the models train on the stream thread. */
    private final TrainingThread.Job ownJob;
    private final Map<String, ModelRuntime> models = new LinkedHashMap<>();
    private KeyValueStore<Bytes, byte[]> store;
    /** The models' own thread, or null when they train on the stream thread ({@link TopologyConfig#trainingThread}). */
    private TrainingThread training;
    private final Consumer<TrainingThread.Job> emit = this::emit;
    // Kafka Streams' own context and this processor's node, to forward a job's records outside
    // process (from the commit's store flush) as its record cache does (TimestampedCacheFlushListener):
    // with this node current and the job's record context.
    private InternalProcessorContext<String, Out> internal;
    private ProcessorNode<?, ?, ?, ?> node;

    private TrainerProcessor(TopologyConfig config, TrainerListener listener, SnapshotTrigger trigger,
                             CommitHooks commitHooks) {
        this.config = config;
        this.listener = listener;
        this.trigger = trigger;
        this.commitHooks = commitHooks;
        this.reader = new JsonEventReader(config.limits());
        this.ownJob = new TrainingThread.Job(config.eventHasher());
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
        if (training != null) {
            training.close();
            training = null;
        }
        internal = (InternalProcessorContext<String, Out>) context;
        node = internal.currentNode();
        if (config.trainingThread()) {
            training = new TrainingThread("streamsgd-training-" + context.taskId(), config.eventHasher(),
                    TrainerProcessor::train);
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
        TrainingThread.Job job;
        if (training == null) {
            job = ownJob;
            job.clear();
        } else {
            if (training.full()) {
                training.makeRoom(emit);
            }
            job = training.next();
        }
        job.record = record;
        job.recordContext = internal.recordContext();
        job.source = Source.of(record.headers(), context().recordMetadata().orElse(null));
        job.startNanos = start;
        try {
            // A null value (tombstone) is null_value; the reader resets the event first, so that the dead
            // letter cannot name the model of the record before it.
            reader.read(record.value(), job.event);
            for (String name : targets.of(record.key(), job.event)) {
                job.models.add(models.computeIfAbsent(name,
                        n -> ModelRuntime.load(config.models().get(n), store, context().currentSystemTimeMs())));
            }
            job.id = job.event.id() != null ? job.event.id() : job.source.derivedId();
        } catch (BadInputException e) {
            job.unreadable = e;
        }
        if (training != null) {
            training.publish();
            training.takeDone(emit);
        } else {
            emit(job, true);
        }
    }

    /** Predicts and trains each of the job's models, and encodes the predictions, on the models' own thread. */
    private static void train(TrainingThread.Job job) {
        for (int i = 0; i < job.models.size(); i++) {
            train(job, i);
        }
    }

    /** Predicts and trains the job's {@code i}-th model, and encodes the prediction. */
    private static void train(TrainingThread.Job job, int i) {
        ModelRuntime model = job.models.get(i);
        try {
            Prediction p = model.handle(job.event, job.id);
            job.predictions.add(p);
            job.predictionJson.add(PredictionJson.toBytes(p));
            job.rejections.add(null);
            long every = model.spec().snapshotEvents();
            boolean due = every > 0 && model.eventsSinceSnapshot() >= every;
            job.snapshotDue.add(due);
            job.holdsForSnapshot |= due;
        } catch (BadInputException e) {
            job.predictions.add(null);
            job.predictionJson.add(null);
            job.rejections.add(e);
            job.snapshotDue.add(false);
        }
        job.statuses.add(model.quickStatus());
    }

    /**
     * Forwards a trained job's records, on the stream thread: each model's prediction (or dead
     * letter), then its snapshot if the event made one due.
     */
    private void emit(TrainingThread.Job job) {
        emit(job, false);
    }

    /** {@link #emit}, training each model first when {@code train} is set (the models train on the stream thread). */
    private void emit(TrainingThread.Job job, boolean train) {
        ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
        ProcessorRecordContext previousContext = internal.recordContext();
        internal.setCurrentNode(node);
        internal.setRecordContext(job.recordContext);
        try {
            Record<String, byte[]> record = job.record;
            if (job.unreadable != null) {
                context().forward(deadLetters.of(record, job.source, job.event.model(), job.unreadable)
                        .withHeaders(new RecordHeaders()));
                return;
            }
            for (int i = 0; i < job.models.size(); i++) {
                if (train) {
                    train(job, i);
                }
                ModelRuntime model = job.models.get(i);
                String name = model.spec().name();
                if (job.rejections.get(i) != null) {
                    context().forward(deadLetters.of(record, job.source, name, job.rejections.get(i))
                            .withHeaders(new RecordHeaders()));
                    continue;
                }
                Prediction prediction = job.predictions.get(i);
                context().forward(new Record<>(job.id, new Out(config.predictionsTopic(), job.predictionJson.get(i)),
                        record.timestamp(), new RecordHeaders()));
                boolean snapshotDue = job.snapshotDue.get(i);
                if (snapshotDue) {
                    snapshot(model, record.timestamp()); // a training thread holds meanwhile
                }
                listener.predicted(name, prediction.trained(), prediction.loss(), System.nanoTime() - job.startNanos);
                listener.status(snapshotDue ? model.quickStatus() : job.statuses.get(i));
            }
        } finally {
            internal.setRecordContext(previousContext);
            internal.setCurrentNode(previousNode);
            if (job.holdsForSnapshot && training != null) {
                training.release();
            }
        }
    }

    /** Each model's changes since the last commit go to the store, inside the commit's transaction. */
    private void flushModels() {
        if (training != null) {
            training.drain(emit);
        }
        for (ModelRuntime model : models.values()) {
            model.flush();
        }
    }

    private void punctuate(long now) {
        if (training != null) {
            training.drain(emit);
        }
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
        if (training != null) {
            training.close();
            training = null;
        }
        commitHooks.unregister(context().taskId(), flushModels);
        trigger.unregister(this);
    }
}
