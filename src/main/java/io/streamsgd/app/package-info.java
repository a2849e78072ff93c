/**
 * Service lifecycle: the embedded KRaft broker, the running Kafka Streams service, the HTTP
 * endpoints ({@code /metrics}, {@code /health}).
 */
package io.streamsgd.app;
