package io.streamsgd.stream;

import io.streamsgd.codec.BadInputException;
import io.streamsgd.codec.BadInputReason;
import io.streamsgd.codec.Event;
import java.util.List;

/**
 * Which models an event is for: the model named by the record key when the key names one (the
 * router keys its records so, and so does a producer following the keyed-input layout), else the
 * event's {@code model} field, else the default models.
 */
final class Targets {
    private final TopologyConfig config;

    Targets(TopologyConfig config) {
        this.config = config;
    }

    /**
     * The event's models.
     *
     * @throws BadInputException {@code unknown_model} if the event names a model that is not
     *     configured or one that differs from the model its record key names
     */
    List<String> of(String key, Event event) throws BadInputException {
        String named = event.model();
        if (key != null && config.models().containsKey(key)) {
            if (named != null && !named.equals(key)) {
                throw new BadInputException(BadInputReason.UNKNOWN_MODEL,
                        "the event's model '" + named + "' differs from its record key '" + key + "'");
            }
            return List.of(key);
        }
        if (named != null) {
            if (!config.models().containsKey(named)) {
                throw new BadInputException(BadInputReason.UNKNOWN_MODEL,
                        "unknown model '" + named + "'; configured: " + config.models().keySet());
            }
            return List.of(named);
        }
        return config.defaultModels();
    }
}
