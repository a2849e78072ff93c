package io.streamsgd.codec;

/**
 * Bounds on what a reader accepts from one record, so one hostile or broken record cannot cost
 * unbounded time or memory.
 *
 * @param maxRecordBytes the largest record accepted, in bytes (for text lines: in characters,
 *     a lower bound of their UTF-8 size); checked before parsing ({@code record_too_large})
 * @param maxFeatures the most features one record may list, zeros and {@code false} included
 *     ({@code too_many_features})
 * @param maxDepth the deepest nesting of JSON objects and arrays, the root object being depth 1
 *     and the {@code features} object depth 2, so at least 2 ({@code too_deep})
 */
public record ReadLimits(int maxRecordBytes, int maxFeatures, int maxDepth) {
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_FEATURES = 10_000;
    public static final int DEFAULT_MAX_DEPTH = 16;
    /** Deeper limits only give attackers room; no real event needs them. */
    public static final int MAX_DEPTH_LIMIT = 1_000;

    /** 1 MiB records, 10,000 features, depth 16. */
    public static final ReadLimits DEFAULTS =
            new ReadLimits(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_FEATURES, DEFAULT_MAX_DEPTH);

    public ReadLimits {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1, got " + maxRecordBytes);
        }
        if (maxFeatures < 1) {
            throw new IllegalArgumentException("maxFeatures must be >= 1, got " + maxFeatures);
        }
        if (maxDepth < 2 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("maxDepth must be in [2, " + MAX_DEPTH_LIMIT + "], got " + maxDepth);
        }
    }
}
