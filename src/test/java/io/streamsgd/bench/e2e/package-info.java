/**
 * The end-to-end benchmark (issue 6): a real broker in its own JVM, pre-loaded input topics, and
 * each application (a pass-through Kafka Streams app, streamsgd with one model, with two) run
 * from a cold start in its own JVM over the same topic, with the same guarantee and commit
 * interval. Run by {@code bench/e2e.sh}; not part of the unit or integration tests.
 *
 * <p>{@link io.streamsgd.bench.e2e.E2eBench} is the driver (broker, loading, runs, latency,
 * profile, report); {@link io.streamsgd.bench.e2e.E2eApp} is the application process it starts
 * for each run. Bench code only: it may read {@code ../shared/data} and depends on every layer.
 */
package io.streamsgd.bench.e2e;
