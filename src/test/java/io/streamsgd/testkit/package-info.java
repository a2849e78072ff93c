/**
 * Test infrastructure around real external things: the {@link io.streamsgd.testkit.SharedBroker}
 * (one real KRaft broker per test JVM), topic creation, producers and consumers; a Prometheus
 * server started from the {@code prometheus} binary ({@link io.streamsgd.testkit.PrometheusServer}),
 * promtool ({@link io.streamsgd.testkit.PrometheusBinaries}), and the PromQL of the Grafana
 * dashboards ({@link io.streamsgd.testkit.DashboardQueries}, {@link io.streamsgd.testkit.PromQlNames}).
 * Test code only.
 */
package io.streamsgd.testkit;
