package io.streamsgd.stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every topology test again, with each task's models trained on a thread of their own
 * ({@code training.thread=true}): the same predictions, snapshots, dead letters and restores, to
 * the bit, as on the stream thread and as {@code learn}.
 */
class StreamSgdTopologyTrainingThreadTest extends StreamSgdTopologyTest {
    @BeforeAll
    static void trainOnTheModelsOwnThread() {
        TopologyHarness.trainingThread = true;
    }

    @AfterAll
    static void trainOnTheStreamThread() {
        TopologyHarness.trainingThread = false;
    }
}
