/**
 * The learning core: sparse feature vectors and hashing, losses, learning-rate schedules,
 * regularizers with exact lazy catch-up, the weight storage interface and its in-memory
 * implementation, the online learner, progressive metrics and the snapshot value.
 *
 * <p>Pure Java: nothing here imports Kafka, Micrometer or a JSON library (an ArchUnit test
 * enforces it), so the core can be read, tested and benchmarked alone.
 */
package io.streamsgd.learn;
