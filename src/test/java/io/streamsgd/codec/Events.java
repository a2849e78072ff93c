package io.streamsgd.codec;

import io.streamsgd.learn.Features;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers to look at a parsed event. */
final class Events {
    private Events() {
    }

    /** The event's features as name -> value, in insertion order. */
    static Map<String, Double> features(Event event) {
        Features f = event.features();
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < f.size(); i++) {
            map.put(f.name(i), f.value(i));
        }
        return map;
    }

    /** The event's feature values, sorted: comparable across formats that name features differently. */
    static double[] sortedValues(Event event) {
        Features f = event.features();
        double[] values = new double[f.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.value(i);
        }
        Arrays.sort(values);
        return values;
    }
}
