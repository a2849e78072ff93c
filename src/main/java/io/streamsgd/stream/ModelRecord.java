package io.streamsgd.stream;

import io.streamsgd.learn.LearnerState;
import java.nio.ByteBuffer;

/**
 * The model's own entry in the weights store, written after every event in the same transaction
 * as its weights: the learner's scalar state and the model's bookkeeping, so that after a restore
 * from the changelog training resumes exactly where it stopped and every count is exact.
 *
 * @param learner the learner's state (step, bias, normalizer, epoch)
 * @param version last snapshot version
 * @param predicted unlabeled events predicted
 * @param lossSum sum of progressive losses
 * @param correct correct classifications
 * @param stored weight entries in the store
 * @param nonzeros non-zeros at the last snapshot
 * @param l1Norm weights' L1 norm at the last snapshot
 * @param l2Norm weights' L2 norm at the last snapshot
 * @param lastSnapshotMillis wall-clock time of the last snapshot
 * @param stepAtSnapshot the step of the last snapshot
 */
record ModelRecord(LearnerState learner, long version, long predicted, double lossSum, long correct, long stored,
                   long nonzeros, double l1Norm, double l2Norm, long lastSnapshotMillis, long stepAtSnapshot) {
    /** Format of the encoding, first byte; bump on any change and keep reading old ones. */
    static final byte FORMAT = 1;
    static final ModelRecord INITIAL = new ModelRecord(LearnerState.INITIAL, 0, 0, 0.0, 0, 0, 0, 0.0, 0.0, 0, 0);
    private static final int SIZE = 1 + 8 * 15;

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(FORMAT);
        b.putLong(learner.step()).putDouble(learner.bias()).putDouble(learner.biasSumSquares())
                .putDouble(learner.normalizer()).putLong(learner.epochStart());
        b.putLong(version).putLong(predicted).putDouble(lossSum).putLong(correct).putLong(stored)
                .putLong(nonzeros).putDouble(l1Norm).putDouble(l2Norm).putLong(lastSnapshotMillis).putLong(stepAtSnapshot);
        return b.array();
    }

    static ModelRecord decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte format = b.get();
        if (format != FORMAT) {
            throw new IllegalStateException("unsupported model record format " + format + ", expected " + FORMAT);
        }
        LearnerState state = new LearnerState(b.getLong(), b.getDouble(), b.getDouble(), b.getDouble(), b.getLong());
        return new ModelRecord(state, b.getLong(), b.getLong(), b.getDouble(), b.getLong(), b.getLong(), b.getLong(),
                b.getDouble(), b.getDouble(), b.getLong(), b.getLong());
    }
}
