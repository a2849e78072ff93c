/**
 * Reusable test infrastructure around real external tools: a Prometheus server started from the
 * {@code prometheus} binary ({@link io.streamsgd.testkit.PrometheusServer}), promtool
 * ({@link io.streamsgd.testkit.PrometheusBinaries}), and the PromQL of the Grafana dashboards
 * ({@link io.streamsgd.testkit.DashboardQueries}, {@link io.streamsgd.testkit.PromQlNames}).
 * Depends on Jackson only; nothing here knows the service's classes.
 */
package io.streamsgd.testkit;
