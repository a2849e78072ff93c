/**
 * Tests of the deployment and observability artifacts: grafana/ (dashboards, provisioning) and
 * deploy/ (Prometheus configuration and alert rules, Dockerfile, Jib profile, docker-compose,
 * Kubernetes manifests, local scripts). They read the files as shipped and check them with the
 * real tools where those exist here (promtool, prometheus, picocli for command lines).
 */
package io.streamsgd.deploy;
