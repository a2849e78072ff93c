package io.streamsgd.stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * The streamsgd topology:
 * <pre>
 *   events --router--&gt; (dead letters)
 *            \--&gt; repartition by model name --trainer--&gt; predictions | models (snapshot parts) | dead letters
 * </pre>
 * With {@link TopologyConfig#inputKeyedByModel()} the router and the repartition hop are
 * skipped: the trainer reads the input topic directly, which is correct when all events that
 * target a model already share a partition (one input partition, or records keyed by model name)
 * and saves a parse and a round trip through the broker per event.
 */
public final class StreamSgdTopology {
    /** Name of the repartition topic's operation (the topic is {@code <application.id>-by-model-repartition}). */
    public static final String BY_MODEL = "by-model";

    private StreamSgdTopology() {
    }

    public static Topology buildTopology(TopologyConfig config, TrainerListener listener, SnapshotTrigger trigger) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicNameExtractor<String, Out> destination = (key, out, context) -> out.topic();
        Produced<String, Out> produced = Produced.with(Serdes.String(), Out.SERDE);
        KStream<String, byte[]> events = builder.stream(config.eventsTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events"));
        KStream<String, byte[]> byModel;
        if (config.inputKeyedByModel()) {
            byModel = events;
        } else {
            KStream<String, Out> routed = events.process(RouterProcessor.supplier(config, listener), Named.as("router"));
            routed.filter((key, out) -> out.topic() != null, Named.as("router-dead-letters"))
                    .to(destination, produced.withName("router-dead-letters-sink"));
            byModel = routed.filter((key, out) -> out.topic() == null, Named.as("routed"))
                    .mapValues(Out::value, Named.as("routed-bytes"))
                    .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName(BY_MODEL));
        }
        byModel.process(TrainerProcessor.supplier(config, listener, trigger), Named.as("trainer"))
                .to(destination, produced.withName("outputs"));
        return builder.build();
    }
}
