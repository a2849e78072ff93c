/**
 * Offline mode: the learner run over a file of events with progressive validation and no Kafka
 * ({@code streamsgd learn}), like {@code vw -d file}. Depends on {@code learn} and {@code codec}.
 */
package io.streamsgd.offline;
