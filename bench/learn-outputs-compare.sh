#!/usr/bin/env bash
# Whether two builds of `learn` give the same outputs: predictions, snapshot (its timestamp
# removed), the summary line (eventsPerSecond removed) and the bad-line report, on nine inputs:
# the reference files with default and regularized settings, a small file with bad lines, and
# small hash spaces (3 to 12 bits) where many features share a slot. Prints one line per input
# and output: "same" or "DIFFERENT".
#
# Usage: bench/learn-outputs-compare.sh OLD.jar NEW.jar
# Environment: DATA (default ../shared/data).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 2 ]] || { echo "usage: $0 OLD.jar NEW.jar" >&2; exit 2; }
OLD=$1; NEW=$2
DATA=${DATA:-../shared/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Bad lines: a repeated index, a bad value, an overflowing value; a blank line and a comment.
cat > "$tmp/bad.libsvm" <<'EOF'
1 1:0.5 2:1.5 7:2
0 3:1 4:0.25

# a comment
1 1:0.5 1:2
-1 5:1
1 0:0 9:1 10:0.5
0 2:x
1 11:1e400
0 12:0.1 13:0.2 14:0.3
EOF

cases=(
  "$DATA/fine_foods.libsvm"
  "$DATA/fine_foods.jsonl --l1 1e-5 --l2 1e-5"
  "$DATA/spambase_log1p.libsvm --l1 1e-4"
  "$DATA/spambase_raw.jsonl"
  "$tmp/bad.libsvm"
  "$DATA/fine_foods.libsvm --hash-bits 10 --l1 1e-6"
  "$DATA/fine_foods.jsonl --hash-bits 12 --schedule adagrad --l2 1e-4"
  "$DATA/spambase_raw.jsonl --hash-bits 3 --loss hinge"
  "$DATA/fine_foods.libsvm --hash-bits 8 --loss squared --schedule invscaling --learning-rate 0.01"
)
i=0
for c in "${cases[@]}"; do
  i=$((i + 1))
  read -r -a args <<< "$c"
  for side in old new; do
    jar=$OLD; [[ $side == new ]] && jar=$NEW
    code=0
    java -jar "$jar" learn --input "${args[@]}" --predictions-out "$tmp/$side.pred" \
      --snapshot-out "$tmp/$side.snap" > "$tmp/$side.out" 2> "$tmp/$side.err" || code=$?
    echo "exit $code" >> "$tmp/$side.out"
    sed -i 's/"eventsPerSecond":[0-9.eE+-]*//' "$tmp/$side.out"
    sed -i 's/"timestamp[A-Za-z]*":[0-9]*//' "$tmp/$side.snap"
    grep -v '^\[' "$tmp/$side.err" | grep -v 'events/s' > "$tmp/$side.report" || true
  done
  for k in pred snap out report; do
    if cmp -s "$tmp/old.$k" "$tmp/new.$k"; then r=same; else r=DIFFERENT; fi
    echo "input $i ($c) $k: $r"
  done
done
