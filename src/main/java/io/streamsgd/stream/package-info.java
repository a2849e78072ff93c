/**
 * The Kafka Streams topology: parsing and dead letters, re-keying by model, the trainer
 * processor, the state-store implementation of the weight storage, snapshot publishing.
 *
 * <p>May depend on {@code learn}, {@code codec} and Kafka; metrics reach it only through the
 * small listener interface it defines, so it does not import Micrometer.
 */
package io.streamsgd.stream;
