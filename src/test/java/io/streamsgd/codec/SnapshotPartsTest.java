package io.streamsgd.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.learn.ModelSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotPartsTest {
    private static ModelSnapshot snapshot(String model, long version, int weights) {
        List<ModelSnapshot.Weight> w = new ArrayList<>(weights);
        for (int i = 0; i < weights; i++) {
            w.add(new ModelSnapshot.Weight("feature_" + i, i, (i % 2 == 0 ? 1 : -1) * (i + 1) * 1e-7 / 3));
        }
        return new ModelSnapshot(model, version, 42, 7, Map.of("loss", "logistic"), 0.25, weights, 1, 2, w);
    }

    @Test
    void shouldSplitAMillionWeightsIntoRecordsUnderTheLimitAndReassembleThemExactly() throws Exception {
        ModelSnapshot big = snapshot("m", 3, 1_000_000);
        int limit = 512 * 1024;
        List<byte[]> parts = SnapshotParts.split(big, limit);
        assertThat(parts.size()).isGreaterThan(20);
        assertThat(parts).allSatisfy(p -> assertThat(p.length).isLessThanOrEqualTo(limit));
        SnapshotParts.Assembler a = new SnapshotParts.Assembler();
        for (byte[] p : parts) {
            a.add(p);
        }
        ModelSnapshot back = a.latest("m").orElseThrow();
        assertThat(back.version()).isEqualTo(3);
        assertThat(back.weights()).hasSize(1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            assertThat(back.weights().get(i).name()).isEqualTo(big.weights().get(i).name());
            assertThat(back.weights().get(i).value()).isEqualTo(big.weights().get(i).value());
        }
        assertThat(back.bias()).isEqualTo(0.25);
    }

    @Test
    void shouldIgnoreAnIncompleteNewestVersion() throws Exception {
        SnapshotParts.Assembler a = new SnapshotParts.Assembler();
        for (byte[] p : SnapshotParts.split(snapshot("m", 1, 40_000), 64 * 1024)) {
            a.add(p);
        }
        List<byte[]> v2 = SnapshotParts.split(snapshot("m", 2, 40_000), 64 * 1024);
        assertThat(v2.size()).isGreaterThan(2);
        for (byte[] p : v2.subList(0, v2.size() - 1)) { // the last part never arrives
            a.add(p);
        }
        assertThat(a.latest("m").orElseThrow().version()).isEqualTo(1);
        a.add(v2.get(v2.size() - 1));
        assertThat(a.latest("m").orElseThrow().version()).isEqualTo(2);
        // an older version arriving late changes nothing
        for (byte[] p : SnapshotParts.split(snapshot("m", 1, 10), 64 * 1024)) {
            a.add(p);
        }
        assertThat(a.latest("m").orElseThrow().version()).isEqualTo(2);
        assertThat(a.latest("other")).isEmpty();
    }

    @Test
    void shouldRejectAnUnknownFormatNamingTheExpectedOne() {
        SnapshotParts.Assembler a = new SnapshotParts.Assembler();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.add("{\"format\":9}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .hasMessageContaining("format 1");
    }
}
