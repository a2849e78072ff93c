#!/usr/bin/env bash
# Whole-process `learn` throughput of two builds, side by side: the runs of the two jars alternate
# (A B A B ...), so that a change in the machine's load hits both alike, which hyperfine's
# all-of-A-then-all-of-B order does not. Prints every run, then per jar and file the median wall
# time, events/s and user+sys CPU, and the median of the per-round ratios B/A (wall).
#
# Usage: bench/learn-compare.sh A.jar B.jar [FILE...]
# Default files: fine_foods and spambase_log1p LibSVM, as they are and replicated COPIES times.
# Environment: DATA (default ../shared/data), ROUNDS (default 5), COPIES (default 50),
# JAVA_OPTS (extra JVM options), PREFIX (a command to run java under, e.g. "taskset -c 1").
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 2 ]] || { echo "usage: $0 A.jar B.jar [FILE...]" >&2; exit 2; }
A=$1; B=$2; shift 2
DATA=${DATA:-../shared/data}
ROUNDS=${ROUNDS:-5}
COPIES=${COPIES:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  for name in fine_foods spambase_log1p; do
    for ((i = 0; i < COPIES; i++)); do cat "$DATA/$name.libsvm"; done > "$tmp/${name}_x$COPIES.libsvm"
    files+=("$tmp/${name}_x$COPIES.libsvm" "$DATA/$name.libsvm")
  done
fi
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for file in "${files[@]}"; do
  rows=$(grep -cv '^[[:space:]]*$' "$file")
  for ((r = 0; r < ROUNDS; r++)); do
    for jar in "$A" "$B"; do
      /usr/bin/time -f "%e %U %S" -o "$tmp/time" ${PREFIX:-} java ${JAVA_OPTS:-} -jar "$jar" learn --input "$file" > "$tmp/out" 2>/dev/null
      read -r wall user sys < "$tmp/time"
      echo "$r $(basename "$jar") $(basename "$file") $rows $wall $user $sys" | tee -a "$tmp/runs"
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$tmp/runs" "$(basename "$A")" "$(basename "$B")" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    r, jar, name, rows, wall, user, sys_ = line.split()
    runs[(name, int(rows))].setdefault(jar, []).append((int(r), float(wall), float(user) + float(sys_)))
a, b = sys.argv[2], sys.argv[3]
print("| file | rows | jar | median wall (s) | events/s (wall) | median CPU user+sys (s) |")
print("|---|---|---|---|---|---|")
ratios = {}
for (name, rows), by in runs.items():
    for jar in (a, b):
        w = statistics.median(x[1] for x in by[jar]); c = statistics.median(x[2] for x in by[jar])
        print(f"| {name} | {rows:,} | {jar} | {w:.3f} | {rows / w:,.0f} | {c:.3f} |")
    pairs = {x[0]: x[1] for x in by[a]}
    ratios[name] = statistics.median(x[1] / pairs[x[0]] for x in by[b])
print()
for name, q in ratios.items():
    print(f"{name}: median per-round wall ratio {b}/{a} = {q:.2f} (below 1: {b} faster)")
PY
