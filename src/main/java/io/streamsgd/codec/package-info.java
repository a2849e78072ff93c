/**
 * Text forms of the core's values: events (JSON, LibSVM, Vowpal Wabbit, CSV) parsed into
 * {@link io.streamsgd.learn.Features}, predictions and snapshots written as JSON.
 *
 * <p>May depend on {@code learn} and Jackson; never on Kafka or Micrometer.
 */
package io.streamsgd.codec;
