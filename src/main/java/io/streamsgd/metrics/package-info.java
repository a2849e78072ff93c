/**
 * Micrometer binders: the model and event meters, Kafka Streams and JVM binders, and the
 * Prometheus scrape endpoint. Tags are limited to {@code model} and {@code outcome}.
 */
package io.streamsgd.metrics;
