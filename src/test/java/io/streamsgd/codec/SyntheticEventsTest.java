package io.streamsgd.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticEventsTest {
    @Test
    void shouldBeReproducibleFromItsSeed() {
        SyntheticEvents a = SyntheticEvents.withDefaultShape(5);
        SyntheticEvents b = SyntheticEvents.withDefaultShape(5);
        SyntheticEvents c = SyntheticEvents.withDefaultShape(6);
        assertThat(a.truth()).isEqualTo(b.truth()).isNotEqualTo(c.truth());
        for (int i = 0; i < 100; i++) {
            assertThat(a.next()).isEqualTo(b.next());
        }
        assertThat(a.count()).isEqualTo(100);
    }

    @Test
    void eventsShouldBeValidWithTheShapesFeatureCountsAndFollowTheTruth() throws Exception {
        SyntheticEvents events = SyntheticEvents.withDefaultShape(11);
        SyntheticEvents.Shape shape = events.shape();
        assertThat(events.truth()).hasSize(50);
        assertThat(events.truth().values()).allSatisfy(w -> assertThat(Math.abs(w)).isBetween(1.0, 3.0));
        JsonEventReader reader = new JsonEventReader();
        Event e = new Event();
        Set<String> seen = new HashSet<>();
        Map<Integer, int[]> byLabelAndSign = new HashMap<>(); // truth-score sign -> [label 0, label 1]
        for (int n = 1; n <= 20_000; n++) {
            byte[] json = events.next();
            reader.read(json, e);
            assertThat(e.id()).isEqualTo("e-" + n);
            assertThat(e.features().size()).isEqualTo(shape.relevantPerEvent() + shape.noisePerEvent());
            double z = 0;
            int relevant = 0;
            for (int i = 0; i < e.features().size(); i++) {
                seen.add(e.features().name(i));
                Double w = events.truth().get(e.features().name(i));
                if (w != null) {
                    z += w;
                    relevant++;
                }
            }
            assertThat(relevant).isEqualTo(shape.relevantPerEvent());
            byLabelAndSign.computeIfAbsent(z > 0 ? 1 : 0, k -> new int[2])[(int) e.label()]++;
        }
        // Labels follow sigmoid(w.x): a positive truth score mostly gives label 1, a negative one label 0.
        assertThat(byLabelAndSign.get(1)[1]).isGreaterThan(3 * byLabelAndSign.get(1)[0]);
        assertThat(byLabelAndSign.get(0)[0]).isGreaterThan(3 * byLabelAndSign.get(0)[1]);
        // The power law leaves a long tail: many distinct features, far fewer than all draws.
        assertThat(seen.size()).isBetween(50_000, 100_000);
    }

    @Test
    void everyKthEventShouldBeUnlabeledWithoutChangingTheOthers() throws Exception {
        SyntheticEvents all = SyntheticEvents.withDefaultShape(3);
        SyntheticEvents some = new SyntheticEvents(3, SyntheticEvents.Shape.DEFAULT.withUnlabeledEvery(4));
        for (int n = 1; n <= 40; n++) {
            String labeled = new String(all.next(), StandardCharsets.UTF_8);
            String other = new String(some.next(), StandardCharsets.UTF_8);
            if (n % 4 == 0) {
                assertThat(other).doesNotContain("\"label\"").isEqualTo(labeled.replaceFirst(",\"label\":[01]", ""));
            } else {
                assertThat(other).isEqualTo(labeled);
            }
        }
    }

    @Test
    void shouldRejectImpossibleShapes() {
        assertThatThrownBy(() -> new SyntheticEvents.Shape(100, 60, 3, 10, 0)).hasMessageContaining("relevant");
        assertThatThrownBy(() -> new SyntheticEvents.Shape(100, 10, 11, 10, 0)).hasMessageContaining("relevantPerEvent");
        assertThatThrownBy(() -> new SyntheticEvents.Shape(100, 10, 3, 50, 0)).hasMessageContaining("noisePerEvent");
    }
}
