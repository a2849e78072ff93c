package io.streamsgd.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamsgd.learn.WeightEntry;
import io.streamsgd.learn.WeightStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ModelStorage} against a plain map of what it was told: after any mix of creations (with
 * names), updates, removals, re-creations of a slot under another name, flushes (commits),
 * checkpoints and sweeps, a sweep sees exactly the live weights with their entries and names,
 * and a storage reopened from the same store (the restore path: pages, name chunks, then the
 * deltas after the checkpoint) sees exactly those of the last flush: what a crash keeps.
 */
class ModelStorageTest {
    private KeyValueStore<Bytes, byte[]> store;

    @BeforeEach
    void openStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("weights"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private record Expected(String name, double value, long step, double sumSquares, double scale) {
    }

    /**
     * Small rings, so that there are dozens of checkpoints (name chunks get merged): staged ones
     * that complete (ring 64, 128 of the ~900 dirty pages a commit), staged ones that the ring
     * cuts short into a full checkpoint (ring 16, 64 pages a commit), and all at once (4,096).
     */
    @ParameterizedTest
    @CsvSource({"true, 64, 128", "false, 64, 128", "true, 16, 64", "true, 16, 4096"})
    void shouldSeeAndRestoreExactlyTheLiveWeightsWithTheirNames(boolean adaptive, int ring, int pagesPerFlush) {
        StoreKeys keys = new StoreKeys("m");
        ModelStorage storage = ModelStorage.open(store, keys, adaptive, ring, pagesPerFlush);
        Map<Integer, Expected> expected = new HashMap<>();
        Map<Integer, Expected> durable = new HashMap<>();
        Random random = new Random(7);
        int generation = 0;
        for (int event = 1; event <= 2_000; event++) {
            for (int f = 0; f < 6; f++) {
                // Few slots, spread over many pages, so slots are removed and re-created often.
                int slot = random.nextInt(300) * 4093 + random.nextInt(3);
                Expected old = expected.get(slot);
                if (old != null && random.nextInt(4) == 0) {
                    storage.remove(slot);
                    expected.remove(slot);
                    continue;
                }
                long step = random.nextInt(10) == 0 ? event - 3 : event; // mostly the event's step
                // Scales of 1 (a categorical feature's: not written), from a few values, or all
                // different, in phases.
                WeightEntry e = new WeightEntry().set(random.nextGaussian(), step, adaptive ? random.nextDouble() : 0.0,
                        adaptive ? scale(random, event) : 0.0);
                String name = old == null ? "f" + slot + "-" + generation++ : null;
                storage.save(slot, e, name);
                expected.put(slot, new Expected(old == null ? name : old.name(), e.value, e.step, e.sumSquares, e.scale));
            }
            storage.endEvent();
            if (random.nextInt(3) == 0 || event == 2_000) {
                storage.flush(); // a commit
                durable = new HashMap<>(expected);
                assertOnlyLiveDeltas(keys, ring);
            }
            if (event % 397 == 0) {
                assertEqual(seen(storage), expected, "sweep after event " + event); // it writes nothing: durable is as it was
            }
            if (event % 113 == 0 || event == 2_000) {
                storage = ModelStorage.open(store, keys, adaptive, ring, pagesPerFlush); // a crash, or a restart after a commit
                expected = new HashMap<>(durable);
                assertEqual(seen(storage), expected, "reopened after event " + event);
            }
        }
    }

    /**
     * A commit that created 50,000 weights, then commits of a few: the first is written as seven
     * delta records without ever holding more than one record's changes in memory, and every
     * commit restores exactly.
     */
    @Test
    void aBurstOfNewWeightsAndTheSmallCommitsAfterItShouldRestoreExactly() {
        StoreKeys keys = new StoreKeys("m");
        ModelStorage storage = ModelStorage.open(store, keys, true, ModelStorage.DEFAULT_RING, ModelStorage.DEFAULT_PAGES_PER_FLUSH);
        Map<Integer, Expected> expected = new HashMap<>();
        Random random = new Random(3);
        for (int round = 0; round < 4; round++) {
            int weights = round == 0 ? 50_000 : 100;
            for (int i = 0; i < weights; i++) {
                int slot = round == 0 ? i * 7 : random.nextInt(50_000) * 7;
                WeightEntry e = new WeightEntry().set(random.nextGaussian(), round + 1, random.nextDouble(), random.nextDouble());
                Expected old = expected.get(slot);
                String name = old == null ? "f" + slot : null;
                storage.save(slot, e, name);
                expected.put(slot, new Expected(old == null ? name : old.name(), e.value, e.step, e.sumSquares, e.scale));
            }
            storage.endEvent();
            storage.flush();
            assertThat(storage.changeListCapacity()).as("changes held at once").isLessThanOrEqualTo(ModelStorage.MAX_DELTA_ENTRIES);
        }
        storage = ModelStorage.open(store, keys, true, ModelStorage.DEFAULT_RING, ModelStorage.DEFAULT_PAGES_PER_FLUSH);
        assertEqual(seen(storage), expected, "reopened");
    }

    /**
     * A commit in which weights were created, removed and created again under another name: more
     * names than changed weights, so the delta's last records carry names only, and the names
     * given last are those restored.
     */
    @Test
    void aCommitWithMoreNamesThanChangedWeightsShouldRestoreTheLastNames() {
        StoreKeys keys = new StoreKeys("m");
        ModelStorage storage = ModelStorage.open(store, keys, true, ModelStorage.DEFAULT_RING, ModelStorage.DEFAULT_PAGES_PER_FLUSH);
        Map<Integer, Expected> expected = new HashMap<>();
        int slots = ModelStorage.MAX_DELTA_ENTRIES * 3 / 4; // a record with every entry, then two with names only
        for (int slot = 0; slot < slots; slot++) {
            WeightEntry e = new WeightEntry().set(slot + 0.5, 1, 2.0, 1.0);
            storage.save(slot, e, "first" + slot);
            storage.remove(slot);
            storage.save(slot, e, "second" + slot);
            storage.remove(slot);
            storage.save(slot, e, "third" + slot);
            expected.put(slot, new Expected("third" + slot, e.value, e.step, e.sumSquares, e.scale));
        }
        storage.endEvent();
        storage.flush();
        storage = ModelStorage.open(store, keys, true, ModelStorage.DEFAULT_RING, ModelStorage.DEFAULT_PAGES_PER_FLUSH);
        assertEqual(seen(storage), expected, "reopened");
    }

    private static double scale(Random random, int event) {
        return switch (event / 150 % 3) {
            case 0 -> random.nextBoolean() ? 1.0 : random.nextDouble();
            case 1 -> random.nextInt(4) == 0 ? 1.0 : (1 + random.nextInt(5)) / 4.0;
            default -> (1 + random.nextInt(300)) / 100.0;
        };
    }

    /**
     * A page and a delta written in the first format (absolute steps in pages, a kind byte per
     * delta entry, the scale always written), as stores written before the compact format hold
     * them: both are still read.
     */
    @Test
    void aPageAndADeltaOfTheFirstFormatShouldStillBeRead() {
        StoreKeys keys = new StoreKeys("m");
        java.nio.ByteBuffer page = java.nio.ByteBuffer.allocate(40);
        page.putInt(1).putInt(4096 + 3).putDouble(-0.5).putLong(4).putDouble(3.0).putDouble(1.0);
        store.put(keys.page(3), page.array());
        store.put(keys.names(3, 1), java.nio.ByteBuffer.allocate(14).putInt(1).putInt(4096 + 3).putInt(2).put((byte) 'f')
                .put((byte) '3').array());
        byte[] record = ModelRecord.INITIAL.encode();
        byte[] name = "f5".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256);
        b.putLong(1).putInt(record.length).put(record);
        b.putInt(2).putLong(7); // two entries, newest step 7
        b.putInt(5).put((byte) 1).putDouble(0.25).put((byte) 2).putDouble(2.0).putDouble(1.5); // present, step 7 - 2
        b.putInt(9).put((byte) 0); // removed
        b.putInt(1).putInt(5).putInt(name.length).put(name);
        store.put(keys.delta(1), java.util.Arrays.copyOf(b.array(), b.position()));
        ModelStorage storage = ModelStorage.open(store, keys, true, ModelStorage.DEFAULT_RING);
        assertEqual(seen(storage), Map.of(5, new Expected("f5", 0.25, 5, 2.0, 1.5),
                4096 + 3, new Expected("f3", -0.5, 4, 3.0, 1.0)), "first format");
    }

    /**
     * Every delta in the store is after the checkpoint: a checkpoint deletes the deltas it makes
     * dead instead of leaving them (and their copies in the changelog) until the ring comes round.
     */
    private void assertOnlyLiveDeltas(StoreKeys keys, int ring) {
        byte[] checkpoint = store.get(keys.checkpoint());
        long checkpointSeq = checkpoint == null ? 0 : java.nio.ByteBuffer.wrap(checkpoint).getLong();
        List<Long> dead = new ArrayList<>();
        int deltas = 0;
        try (var it = store.prefixScan(keys.prefix(StoreKeys.DELTA), new org.apache.kafka.common.serialization.BytesSerializer())) {
            while (it.hasNext()) {
                long seq = java.nio.ByteBuffer.wrap(it.next().value).getLong();
                deltas++;
                if (seq <= checkpointSeq) {
                    dead.add(seq);
                }
            }
        }
        assertThat(dead).as("deltas at or before the checkpoint (%d)", checkpointSeq).isEmpty();
        assertThat(deltas).isLessThanOrEqualTo(ring);
    }

    private static void assertEqual(Map<Integer, Expected> actual, Map<Integer, Expected> expected, String when) {
        Map<Integer, String> differences = new HashMap<>();
        for (int slot : expected.keySet()) {
            if (!expected.get(slot).equals(actual.get(slot))) {
                differences.put(slot, "expected " + expected.get(slot) + " but was " + actual.get(slot));
            }
        }
        actual.keySet().stream().filter(slot -> !expected.containsKey(slot))
                .forEach(slot -> differences.put(slot, "unexpected " + actual.get(slot)));
        assertThat(differences).as("%s: %d weights expected, %d seen", when, expected.size(), actual.size()).isEmpty();
    }

    private static Map<Integer, Expected> seen(ModelStorage storage) {
        Map<Integer, Expected> seen = new HashMap<>();
        List<Integer> order = new ArrayList<>();
        storage.sweep((slot, name, e) -> {
            seen.put(slot, new Expected(name, e.value, e.step, e.sumSquares, e.scale));
            order.add(slot);
            return WeightStore.Action.KEEP;
        });
        assertThat(order).as("each weight once").doesNotHaveDuplicates();
        return seen;
    }
}
