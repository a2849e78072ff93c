/**
 * The command line ({@code streamsgd learn|run|demo|broker|produce|tail|model}): argument parsing
 * with picocli, configuration, and wiring of the other packages. Nothing else depends on it.
 */
package io.streamsgd.cli;
