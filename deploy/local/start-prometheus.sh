#!/usr/bin/env bash
# Runs a local Prometheus (the Debian package: apt-get install prometheus) that scrapes a
# streamsgd on this machine and evaluates the project's alert rules, to try the dashboards'
# queries without Docker. Storage and the generated config live in a temporary directory that is
# removed on exit. Stop with Ctrl-C.
#
#   deploy/local/start-prometheus.sh [--port 9090] [--target 127.0.0.1:9404] [--print-config]
#
#   --port N            Prometheus listens on 127.0.0.1:N (default 9090)
#   --target HOST:PORT  the streamsgd metrics endpoint to scrape (default 127.0.0.1:9404)
#   --print-config      print the generated prometheus.yml and exit (PrometheusConfigTest runs
#                       promtool on it)
# Environment: PROMETHEUS_BIN (default: prometheus on the PATH).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rules="$(cd "$here/../prometheus" && pwd -P)/alerts.yml"
port=9090
target=127.0.0.1:9404
print_config=false

while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="${2:?--port needs a value}"; shift 2 ;;
    --target) target="${2:?--target needs a value}"; shift 2 ;;
    --print-config) print_config=true; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Same job names, interval and rules as deploy/prometheus/prometheus.yml (compose); only the
# addresses differ. The rules file is referenced by absolute path, so the config works from the
# temporary directory.
config() {
  cat <<YAML
global:
  scrape_interval: 5s
  evaluation_interval: 15s

rule_files:
  - "$rules"

scrape_configs:
  - job_name: streamsgd
    metrics_path: /metrics
    static_configs:
      - targets: ["$target"]

  - job_name: prometheus
    static_configs:
      - targets: ["127.0.0.1:$port"]
YAML
}

if $print_config; then
  config
  exit 0
fi

bin="${PROMETHEUS_BIN:-$(command -v prometheus || true)}"
if [[ -z "$bin" ]]; then
  echo "prometheus not found: install the Debian package (sudo apt-get install prometheus) or set PROMETHEUS_BIN" >&2
  exit 1
fi

work="$(mktemp -d -t streamsgd-prometheus.XXXXXX)"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

config > "$work/prometheus.yml"
if command -v promtool >/dev/null 2>&1; then
  promtool check config "$work/prometheus.yml" >/dev/null
fi

"$bin" --config.file="$work/prometheus.yml" \
  --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$port" \
  --log.level=warn &
pid=$!

echo "Prometheus: http://127.0.0.1:$port  (scraping $target; targets: /targets, alerts: /alerts)"
echo "Config and data in $work (removed on exit). Ctrl-C to stop."
wait "$pid"
