package io.streamsgd.testkit;

import java.util.Set;

/** The metric contract the dashboards and alert rules are built on (grafana/, deploy/). */
public final class MetricContract {
    /**
     * The application meters as Prometheus names (the metric contract the metrics package
     * implements): counters get _total, timers _seconds_{count,sum,max[,bucket]}, summaries
     * _{count,sum,max}.
     */
    public static final Set<String> NAMES = Set.of(
            "streamsgd_events_total",
            "streamsgd_progressive_loss_count", "streamsgd_progressive_loss_sum", "streamsgd_progressive_loss_max",
            "streamsgd_progressive_accuracy", "streamsgd_progressive_auc",
            "streamsgd_model_nonzero_weights", "streamsgd_model_stored_weights", "streamsgd_model_version",
            "streamsgd_model_weight_l1_norm", "streamsgd_model_weight_l2_norm",
            "streamsgd_update_latency_seconds_bucket", "streamsgd_update_latency_seconds_count",
            "streamsgd_update_latency_seconds_sum", "streamsgd_update_latency_seconds_max",
            "streamsgd_snapshot_duration_seconds_count", "streamsgd_snapshot_duration_seconds_sum",
            "streamsgd_snapshot_duration_seconds_max",
            "streamsgd_snapshot_size_bytes_count", "streamsgd_snapshot_size_bytes_sum", "streamsgd_snapshot_size_bytes_max",
            "streamsgd_snapshot_last_timestamp_seconds");

    private MetricContract() {
    }
}
