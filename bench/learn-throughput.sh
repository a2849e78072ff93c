#!/usr/bin/env bash
# Whole-process throughput of `java -jar target/streamsgd.jar learn` (default settings) on the
# LibSVM reference files, as BENCHMARKS.md reports it: wall time of the whole process measured
# with hyperfine, on each file as it is and replicated COPIES times (so that JVM start-up
# amortizes), for a few JVM start-up options. Events/s = rows / mean wall time.
#
# Environment: DATA (default ../shared/data), RUNS (default 10), COPIES (default 50),
# SKIP_BUILD=1 to reuse target/streamsgd.jar, VARIANTS to choose among
# "default c1 cds cds-c1" (all by default).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
RUNS=${RUNS:-10}
COPIES=${COPIES:-50}
VARIANTS=${VARIANTS:-default c1 cds cds-c1}
command -v hyperfine >/dev/null || { echo "learn-throughput.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -o package -DskipTests
fi
JAR=target/streamsgd.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files=()
for name in fine_foods spambase_log1p; do
  src="$DATA/$name.libsvm"
  files+=("$src")
  copy="$tmp/${name}_x$COPIES.libsvm"
  for ((i = 0; i < COPIES; i++)); do cat "$src"; done > "$copy"
  files+=("$copy")
done

# A dynamic AppCDS archive of the classes one `learn` run loads (JDK 17: -XX:ArchiveClassesAtExit),
# dumped after a one-line run: dumped after a run long enough for OnlineLearner.learn to be queued
# for compilation, the archive left that method never compiled in the runs using it (JDK 17.0.15;
# 400 events/s, interpreted), a state the method's archived flags apparently keep.
if [[ " $VARIANTS " == *" cds"* ]]; then
  head -n 1 "$DATA/spambase_log1p.libsvm" > "$tmp/one.libsvm"
  java -XX:ArchiveClassesAtExit="$tmp/learn.jsa" -jar "$JAR" learn --input "$tmp/one.libsvm" >/dev/null 2>&1
fi
declare -A OPTS=(
  [default]=""
  [c1]="-XX:TieredStopAtLevel=1"
  [cds]="-XX:SharedArchiveFile=$tmp/learn.jsa"
  [cds-c1]="-XX:SharedArchiveFile=$tmp/learn.jsa -XX:TieredStopAtLevel=1"
)

printf '| JVM options | file | rows | wall mean ± sd (s) | events/s (wall) | CPU user+sys (s) | events/CPU-s |\n|---|---|---|---|---|---|---|\n'
for variant in $VARIANTS; do
  for file in "${files[@]}"; do
    rows=$(wc -l < "$file")
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$tmp/run.json" \
      "java ${OPTS[$variant]} -jar $JAR learn --input $file" >/dev/null 2>&1
    python3 - "$tmp/run.json" "$variant" "$(basename "$file")" "$rows" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
variant, name, rows = sys.argv[2], sys.argv[3], int(sys.argv[4])
cpu = r['user'] + r['system']
print(f"| {variant} | {name} | {rows:,} | {r['mean']:.3f} ± {r['stddev']:.3f} | {rows / r['mean']:,.0f} "
      f"| {cpu:.3f} | {rows / cpu:,.0f} |")
PY
  done
done
